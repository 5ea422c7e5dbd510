package dev.mailsec.portal;

import dev.mailsec.rights.LicenceTerms;
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
final class FakeEngine implements PortalEngine {

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

    @Override
    public LicenceTerms licence(String licenceId) throws PortalRefusal {
        if (state != null) {
            throw new PortalRefusal(state, "state");
        }
        LicenceTerms l = licences.get(licenceId);
        if (l == null) {
            throw new PortalRefusal(PortalRefusal.Reason.UNKNOWN, "unknown");
        }
        return l;
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
