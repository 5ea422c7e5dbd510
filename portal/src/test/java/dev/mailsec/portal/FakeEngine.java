package dev.mailsec.portal;

import dev.mailsec.rights.AccessEvent;
import dev.mailsec.rights.Channel;
import dev.mailsec.rights.EventType;
import dev.mailsec.rights.LicenceTerms;
import dev.mailsec.rights.Revocation;
import dev.mailsec.rights.Right;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

/** An in-memory engine: one code per (licence, address), five wrong attempts lock. */
final class FakeEngine implements PortalEngine, SenderEngine {

    final Map<String, LicenceTerms> licences = new HashMap<>();
    final Map<String, String> raw = new HashMap<>();
    final Map<String, String> codes = new HashMap<>();
    final Map<String, Integer> wrong = new HashMap<>();
    final List<String> events = new ArrayList<>();
    PortalRefusal.Reason state;
    int counter = 10000000;

    void add(String id, String template, EnumSet<Right> rights, String rawMessage) {
        licences.put(
                id,
                new LicenceTerms(
                        id,
                        id + "@mailsec.test",
                        "alice@mailsec.test",
                        List.of("carol@external.test", "dave@external.test"),
                        template,
                        rights,
                        null,
                        null));
        raw.put(id, rawMessage);
    }

    /** Adds a message from {@code sender} to carol. */
    void addFrom(String id, String sender) {
        licences.put(
                id,
                new LicenceTerms(
                        id,
                        id + "@mailsec.test",
                        sender,
                        List.of("carol@external.test"),
                        "encrypt-only",
                        EnumSet.of(Right.VIEW),
                        Instant.parse("2026-12-01T09:00:00Z"),
                        null));
        raw.put(id, "Subject: x\r\n\r\nx\r\n");
    }

    @Override
    public LicenceTerms licence(String licenceId) throws PortalRefusal {
        if (state != null) {
            throw new PortalRefusal(state, "state");
        }
        LicenceTerms l = licences.get(licenceId);
        if (l == null) {
            throw new PortalRefusal(PortalRefusal.Reason.UNKNOWN, "unknown");
        }
        if (revoked.containsKey(licenceId)) {
            throw new PortalRefusal(PortalRefusal.Reason.REVOKED, "revoked");
        }
        return l;
    }

    /** Revoked licence ids and their revocation. */
    final Map<String, Revocation> revoked = new HashMap<>();

    /** Events per licence id (or sender log), as the sender pages read them. */
    final Map<String, List<AccessEvent>> log = new HashMap<>();

    private void log(String id, String address, EventType type, String detail) {
        log.computeIfAbsent(id, k -> new ArrayList<>())
                .add(new AccessEvent(Instant.now(), id, address, type, Channel.PORTAL, "", detail));
    }

    @Override
    public Optional<String> issueSenderPasscode(String address, String client)
            throws PortalRefusal {
        if (state != null) {
            throw new PortalRefusal(state, "state");
        }
        if (wrong.getOrDefault("sender:" + address, 0) >= 5) {
            throw new PortalRefusal(PortalRefusal.Reason.LOCKED, "locked");
        }
        if (licences.values().stream().noneMatch(l -> l.sender().equals(address))) {
            events.add("SENDER_REFUSED " + address);
            return Optional.empty();
        }
        String code = Integer.toString(++counter);
        codes.put("sender:" + address, code);
        events.add("SENDER_PASSCODE_SENT " + address);
        return Optional.of(code);
    }

    @Override
    public CodeCheck checkSenderPasscode(String address, String code, String client) {
        return checkPasscode("sender:", address, code, client);
    }

    @Override
    public SentPage sent(String sender, int page, String client) throws PortalRefusal {
        if (state != null) {
            throw new PortalRefusal(state, "state");
        }
        List<SentMessage> out = new ArrayList<>();
        for (LicenceTerms l : licences.values()) {
            if (l.sender().equals(sender)) {
                out.add(new SentMessage(l, revoked.get(l.licenceId())));
            }
        }
        events.add("SENDER_LISTED " + sender);
        return new SentPage(page == 0 ? out : List.of(), page, 1, out.size());
    }

    @Override
    public SentDetail sentMessage(String sender, String licenceId, String client)
            throws PortalRefusal {
        if (state != null) {
            throw new PortalRefusal(state, "state");
        }
        LicenceTerms l = licences.get(licenceId);
        if (l == null || !l.sender().equals(sender)) {
            throw new PortalRefusal(PortalRefusal.Reason.UNKNOWN, "not the sender's");
        }
        List<AccessEvent> e = new ArrayList<>(log.getOrDefault(licenceId, List.of()));
        log(licenceId, sender, EventType.SENDER_VIEWED, "");
        return new SentDetail(new SentMessage(l, revoked.get(licenceId)), e);
    }

    @Override
    public void revokeAsSender(String sender, String licenceId, String reason, String client)
            throws PortalRefusal {
        sentMessage(sender, licenceId, client);
        if (!revoked.containsKey(licenceId)) {
            revoked.put(licenceId, new Revocation(Instant.now(), sender, reason));
            log(licenceId, sender, EventType.REVOKED, reason);
        }
    }

    @Override
    public Optional<String> issuePasscode(String licenceId, String address, String client)
            throws PortalRefusal {
        if (wrong.getOrDefault(licenceId + address, 0) >= 5) {
            throw new PortalRefusal(PortalRefusal.Reason.LOCKED, "locked");
        }
        if (!licence(licenceId).isParty(address)) {
            return Optional.empty();
        }
        String code = Integer.toString(++counter);
        codes.put(licenceId + address, code);
        events.add("PASSCODE_SENT " + address);
        return Optional.of(code);
    }

    @Override
    public CodeCheck checkPasscode(String licenceId, String address, String code, String client) {
        String k = licenceId + address;
        if (wrong.getOrDefault(k, 0) >= 5) {
            return new CodeCheck(CodeCheck.Status.LOCKED, 0);
        }
        String live = codes.get(k);
        if (live == null) {
            return new CodeCheck(CodeCheck.Status.NONE, 0);
        }
        if (live.equals(code)) {
            codes.remove(k);
            return new CodeCheck(CodeCheck.Status.OK, 0);
        }
        int n = wrong.merge(k, 1, Integer::sum);
        return n >= 5
                ? new CodeCheck(CodeCheck.Status.LOCKED, 0)
                : new CodeCheck(CodeCheck.Status.WRONG, 5 - n);
    }

    @Override
    public OpenedView open(String licenceId, String reader, String client) throws PortalRefusal {
        LicenceTerms l = licence(licenceId);
        if (!l.isParty(reader)) {
            throw new PortalRefusal(PortalRefusal.Reason.NOT_A_PARTY, "not a party");
        }
        events.add("OPENED " + reader);
        log(licenceId, reader, EventType.OPENED, "");
        try {
            return new OpenedView(
                    l,
                    new MimeMessage(
                            Session.getInstance(new Properties()),
                            new ByteArrayInputStream(
                                    raw.get(licenceId).getBytes(StandardCharsets.UTF_8))));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void record(
            String licenceId, String address, PortalEvent event, String client, String detail) {
        events.add(event + " " + address);
    }

    @Override
    public MimeMessage protectForward(
            LicenceTerms licence,
            MimeMessage message,
            String reader,
            Collection<String> recipients) {
        return message;
    }

    final Set<String> ended = ConcurrentHashMap.newKeySet();

    @Override
    public void endSession(String sessionId, Instant expires) {
        ended.add(sessionId);
    }

    @Override
    public boolean sessionEnded(String sessionId) {
        return ended.contains(sessionId);
    }

    @Override
    public void checkReady() throws PortalRefusal {
        if (state != null) {
            throw new PortalRefusal(state, "state");
        }
    }

    /** The session keys {@link #sessionKeys} gives. */
    static final List<byte[]> KEYS =
            List.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    /** While set, the session keys cannot be read (DKM down). */
    volatile boolean keysDown;

    @Override
    public List<byte[]> sessionKeys() throws PortalRefusal {
        if (keysDown) {
            throw new PortalRefusal(PortalRefusal.Reason.UNAVAILABLE, "DKM unreachable");
        }
        return KEYS;
    }
}
