package dev.mailsec.portal;

import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.config.reload.Snapshot;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.rights.AccessEvent;
import dev.mailsec.rights.BrandingSet;
import dev.mailsec.rights.Channel;
import dev.mailsec.rights.DkmRightsKeyring;
import dev.mailsec.rights.EventType;
import dev.mailsec.rights.LicenceTerms;
import dev.mailsec.rights.LockedOutException;
import dev.mailsec.rights.OpenedMessage;
import dev.mailsec.rights.PasscodeCheck;
import dev.mailsec.rights.PasscodeKeys;
import dev.mailsec.rights.RateLimitedException;
import dev.mailsec.rights.RightsDeniedException;
import dev.mailsec.rights.RightsException;
import dev.mailsec.rights.RightsFormatException;
import dev.mailsec.rights.RightsKey;
import dev.mailsec.rights.RightsKeyring;
import dev.mailsec.rights.RightsOpener;
import dev.mailsec.rights.RightsProtector;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import dev.mailsec.rights.RightsTemplate;
import dev.mailsec.rights.RightsUnavailableException;
import dev.mailsec.rights.SentMessages;
import dev.mailsec.rights.StoredMessage;
import dev.mailsec.rights.UseLicence;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portal's engine over {@code dev.mailsec.rights}: the licence is verified (signature) before
 * anything is shown, passcodes and rate limits are the {@link RightsStore}'s, opening is the {@link
 * RightsOpener}'s (which checks party, revocation and expiry and logs the open), forwards are
 * re-protected by the {@link RightsProtector} with the licence's template. The sender pages ({@link
 * SenderEngine}) read the store's sender index and access log and revoke through it; a message is
 * the sender's when its recorded sender is the signed-in address.
 */
public final class RightsPortalEngine implements PortalEngine, SenderEngine, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RightsPortalEngine.class);

    private final RightsKeyring keys;
    private final PasscodeKeys passcodeKeys;
    private final RightsStore store;
    private final Clock clock;
    private final AutoCloseable onClose;

    /** The rights.xml generation in force and what the engine built from it. */
    private volatile Generation current;

    /** The reloadable rights.xml followed ({@link #follow}), or null. */
    private volatile ReloadableFile<RightsSettings> live;

    public RightsPortalEngine(
            RightsSettings settings,
            RightsKeyring keys,
            RightsStore store,
            Clock clock,
            AutoCloseable onClose) {
        this.keys = keys;
        this.passcodeKeys = PasscodeKeys.of(keys);
        this.store = store;
        this.clock = clock;
        this.current = new Generation(0, settings, keys, store, clock);
        this.onClose = onClose;
    }

    /**
     * From now on each request is served with the generation of {@code file} in force
     * (docs/rights.md, "Reload without restart"), its branding too ({@link #branding()}); the store
     * and keys stay those opened at start.
     */
    public void follow(ReloadableFile<RightsSettings> file) {
        this.live = file;
    }

    /** One generation of rights.xml for one request. */
    private Generation inForce() {
        ReloadableFile<RightsSettings> l = live;
        Generation g = current;
        if (l == null) {
            return g;
        }
        Snapshot<RightsSettings> s = l.current();
        if (g.number != s.generation()) {
            g = new Generation(s.generation(), s.value(), keys, store, clock);
            current = g;
        }
        return g;
    }

    private static final class Generation {
        final long number;
        final RightsSettings settings;
        final RightsOpener opener;
        final RightsProtector protector;

        Generation(
                long number,
                RightsSettings settings,
                RightsKeyring keys,
                RightsStore store,
                Clock clock) {
            this.number = number;
            this.settings = settings;
            this.opener = new RightsOpener(settings, keys, store, clock);
            this.protector = new RightsProtector(settings, keys, store, clock);
        }
    }

    /**
     * Production wiring: DKM from the settings' dkm.properties (identity {@code rights-portal}),
     * the store.
     */
    public static RightsPortalEngine open(RightsSettings settings)
            throws DkmException, RightsException {
        return open(settings, settings.dkmConfig());
    }

    /**
     * As {@link #open(RightsSettings)}, with the portal's own DKM client configuration instead of
     * the one rights.xml names (James's): one rights.xml serves James and the portal, each with its
     * own identity. Neither DKM nor a PostgreSQL rights store need answer now (both are reached on
     * first use); a wrong configuration fails here: {@link
     * dev.mailsec.dkm.DkmInvalidRequestException} for the DKM file, credential or a store that
     * failed its checks, IllegalArgumentException for the store URL, {@link RightsException} for a
     * store written by a newer mailsec.
     */
    public static RightsPortalEngine open(RightsSettings settings, Path dkmConfig)
            throws DkmException, RightsException {
        Dkm dkm = Dkm.open(dkmConfig);
        dkm.observeReads(DkmClients::timeRead);
        RightsStore store;
        try {
            // a PostgreSQL store that is down now is opened on first use (503 until then)
            store = RightsStore.openWhenReachable(settings.storeUrl(), settings.storeSchema());
        } catch (RightsException | RuntimeException e) {
            dkm.close();
            throw e;
        }
        return new RightsPortalEngine(
                settings,
                new DkmRightsKeyring(dkm, settings),
                store,
                Clock.systemUTC(),
                () -> {
                    store.close();
                    dkm.close();
                });
    }

    /**
     * The {@code <branding>} of the generation in force once the engine {@link #follow follows}
     * rights.xml, so a reloaded branding (name, logo, colours) is on the next page; before that,
     * empty (the portal's config, from the same file at start).
     */
    @Override
    public Optional<BrandingSet> branding() {
        return live == null ? Optional.empty() : Optional.of(inForce().settings.branding());
    }

    /** The portal's HTTP settings from {@code <portal .../>} of rights.xml. */
    public static PortalConfig config(RightsSettings settings) {
        return PortalConfig.builder(settings.portalUrl())
                .issuer(settings.issuer())
                .settings(settings.portal())
                .branding(settings.branding())
                .build();
    }

    @Override
    public LicenceTerms licence(String licenceId) throws PortalRefusal {
        try {
            UseLicence l = inForce().opener.verifyById(licenceId);
            Optional<StoredMessage> stored = store.find(licenceId);
            if (stored.isEmpty() || !stored.get().licenceId().equals(licenceId)) {
                throw new PortalRefusal(PortalRefusal.Reason.UNKNOWN, "unknown");
            }
            if (stored.get().isRevoked()) {
                throw new PortalRefusal(PortalRefusal.Reason.REVOKED, "revoked");
            }
            if (l.isExpired(now())) {
                throw new PortalRefusal(PortalRefusal.Reason.EXPIRED, "expired");
            }
            return l.terms();
        } catch (RightsException e) {
            throw refusal(e);
        }
    }

    @Override
    public Optional<String> issuePasscode(String licenceId, String address, String client)
            throws PortalRefusal {
        return issued(
                () ->
                        store.issuePasscode(
                                        licenceId,
                                        address,
                                        client,
                                        now(),
                                        inForce().settings.portal(),
                                        passcodeKeys)
                                .code());
    }

    @Override
    public CodeCheck checkPasscode(String licenceId, String address, String code, String client)
            throws PortalRefusal {
        return checked(
                () ->
                        store.checkPasscode(
                                licenceId,
                                address,
                                code,
                                client,
                                now(),
                                inForce().settings.portal(),
                                passcodeKeys));
    }

    @Override
    public OpenedView open(String licenceId, String reader, String client) throws PortalRefusal {
        try {
            OpenedMessage m = inForce().opener.openById(licenceId, reader, Channel.PORTAL, client);
            return new OpenedView(m.licence().terms(), m.message());
        } catch (RightsException e) {
            throw refusal(e);
        }
    }

    @Override
    public void record(
            String licenceId, String address, PortalEvent event, String client, String detail) {
        EventType type;
        switch (event) {
            case ATTACHMENT_DOWNLOADED:
                type = EventType.ATTACHMENT_DOWNLOADED;
                break;
            case FORWARD_BLOCKED:
                type = EventType.FORWARD_BLOCKED;
                break;
            case FORWARDED:
                type = EventType.FORWARDED;
                break;
            case REPLIED:
            default:
                type = EventType.REPLIED;
        }
        record(licenceId, address, type, client, detail);
    }

    private void record(
            String licenceId, String address, EventType type, String client, String detail) {
        try {
            store.log(
                    new AccessEvent(
                            now(),
                            licenceId,
                            address.toLowerCase(Locale.ROOT),
                            type,
                            Channel.PORTAL,
                            client,
                            detail));
        } catch (RightsException e) {
            PortalLog.warn(
                    LOG,
                    "portal could not write the access log for licence {}: {}",
                    licenceId,
                    e.getMessage());
        }
    }

    @Override
    public MimeMessage protectForward(
            LicenceTerms licence, MimeMessage message, String reader, Collection<String> recipients)
            throws PortalRefusal {
        // one generation of rights.xml for the template and the protector
        Generation g = inForce();
        RightsTemplate template;
        try {
            template = g.settings.template(licence.template());
        } catch (IllegalArgumentException e) {
            throw new PortalRefusal(
                    PortalRefusal.Reason.NOT_ALLOWED,
                    "template " + licence.template() + " is not configured on this portal");
        }
        try {
            return g.protector.protect(message, reader, recipients, template).wrapper();
        } catch (RightsException e) {
            throw refusal(e);
        } catch (MessagingException e) {
            throw new PortalRefusal(
                    PortalRefusal.Reason.UNAVAILABLE, "forward could not be protected", null, e);
        }
    }

    @Override
    public void endSession(String sessionId, Instant expires) throws PortalRefusal {
        try {
            store.endSession(sessionId, expires, now());
        } catch (RightsException e) {
            throw refusal(e);
        }
    }

    @Override
    public boolean sessionEnded(String sessionId) throws PortalRefusal {
        try {
            return store.isSessionEnded(sessionId, now());
        } catch (RightsException e) {
            throw refusal(e);
        }
    }

    @Override
    public void checkReady() throws PortalRefusal {
        try {
            keys.sessionKeys();
            store.isSessionEnded("healthz", now());
        } catch (RightsException e) {
            throw refusal(e);
        }
    }

    @Override
    public List<byte[]> sessionKeys() throws PortalRefusal {
        try {
            List<byte[]> out = new ArrayList<>();
            for (RightsKey<SecretKey> k : keys.sessionKeys()) {
                out.add(k.key().getEncoded());
            }
            return out;
        } catch (RightsException e) {
            throw refusal(e);
        }
    }

    @Override
    public Optional<String> issueSenderPasscode(String address, String client)
            throws PortalRefusal {
        return issued(
                () ->
                        store.issueSenderPasscode(
                                        address,
                                        client,
                                        now(),
                                        inForce().settings.portal(),
                                        passcodeKeys)
                                .code());
    }

    @Override
    public CodeCheck checkSenderPasscode(String address, String code, String client)
            throws PortalRefusal {
        return checked(
                () ->
                        store.checkSenderPasscode(
                                address,
                                code,
                                client,
                                now(),
                                inForce().settings.portal(),
                                passcodeKeys));
    }

    /** A store call that may fail with a {@link RightsException}. */
    @FunctionalInterface
    private interface StoreCall<T> {
        T call() throws RightsException;
    }

    /**
     * A passcode issued by the store; empty for an address that is no party (the store did the same
     * work as for a party, rate windows and access-log line included); other failures refuse.
     */
    private static Optional<String> issued(StoreCall<String> issue) throws PortalRefusal {
        try {
            return Optional.of(issue.call());
        } catch (RightsDeniedException e) {
            if (e.reason() == RightsDeniedException.Reason.NOT_A_PARTY) {
                return Optional.empty();
            }
            throw refusal(e);
        } catch (RightsException e) {
            throw refusal(e);
        }
    }

    /** The store's passcode check as the portal's {@link CodeCheck}; failures refuse. */
    private static CodeCheck checked(StoreCall<PasscodeCheck> check) throws PortalRefusal {
        try {
            PasscodeCheck c = check.call();
            return new CodeCheck(
                    CodeCheck.Status.valueOf(c.status().name()), c.remainingAttempts());
        } catch (RightsException e) {
            throw refusal(e);
        }
    }

    @Override
    public SentPage sent(String sender, int page, String client) throws PortalRefusal {
        try {
            SentMessages p = store.sentBy(sender, page);
            List<SentMessage> out = new ArrayList<>();
            for (StoredMessage m : p.messages()) {
                out.add(new SentMessage(m.terms(), m.revocation().orElse(null)));
            }
            record(
                    RightsStore.senderLogId(sender),
                    sender,
                    EventType.SENDER_LISTED,
                    client,
                    "page " + (p.page() + 1) + " of " + Math.max(1, p.pages()));
            return new SentPage(out, p.page(), p.pages(), p.total());
        } catch (RightsException e) {
            throw refusal(e);
        }
    }

    @Override
    public SentDetail sentMessage(String sender, String licenceId, String client)
            throws PortalRefusal {
        try {
            StoredMessage m = ownMessage(sender, licenceId);
            List<AccessEvent> events = store.events(m.licenceId());
            record(m.licenceId(), sender, EventType.SENDER_VIEWED, client, "");
            return new SentDetail(new SentMessage(m.terms(), m.revocation().orElse(null)), events);
        } catch (RightsException e) {
            throw refusal(e);
        }
    }

    @Override
    public void revokeAsSender(String sender, String licenceId, String reason, String client)
            throws PortalRefusal {
        try {
            StoredMessage m = ownMessage(sender, licenceId);
            store.revoke(
                    m.licenceId(), sender.toLowerCase(Locale.ROOT), reason, Channel.PORTAL, client);
        } catch (RightsException e) {
            throw refusal(e);
        }
    }

    /** The message of {@code licenceId} if {@code sender} protected it; else UNKNOWN. */
    private StoredMessage ownMessage(String sender, String licenceId)
            throws RightsException, PortalRefusal {
        Optional<StoredMessage> m = store.find(licenceId);
        if (m.isEmpty()
                || !m.get().licenceId().equals(licenceId)
                || m.get().sender() == null
                || !m.get().sender().equalsIgnoreCase(sender.trim())) {
            throw new PortalRefusal(PortalRefusal.Reason.UNKNOWN, "not a message of this sender");
        }
        return m.get();
    }

    @Override
    public void close() throws Exception {
        onClose.close();
    }

    private Instant now() {
        return clock.instant();
    }

    private static PortalRefusal refusal(RightsException e) {
        if (e instanceof RightsDeniedException) {
            RightsDeniedException d = (RightsDeniedException) e;
            switch (d.reason()) {
                case EXPIRED:
                    return new PortalRefusal(PortalRefusal.Reason.EXPIRED, e.getMessage(), null, e);
                case REVOKED:
                    return new PortalRefusal(PortalRefusal.Reason.REVOKED, e.getMessage(), null, e);
                case NOT_A_PARTY:
                    return new PortalRefusal(
                            PortalRefusal.Reason.NOT_A_PARTY, e.getMessage(), null, e);
                case UNKNOWN_MESSAGE:
                default:
                    return new PortalRefusal(PortalRefusal.Reason.UNKNOWN, e.getMessage(), null, e);
            }
        }
        if (e instanceof LockedOutException) {
            return new PortalRefusal(
                    PortalRefusal.Reason.LOCKED,
                    e.getMessage(),
                    ((LockedOutException) e).lockedUntil(),
                    e);
        }
        if (e instanceof RateLimitedException) {
            return new PortalRefusal(
                    PortalRefusal.Reason.RATE_LIMITED,
                    e.getMessage(),
                    ((RateLimitedException) e).retryAfter(),
                    e);
        }
        if (e instanceof RightsFormatException) {
            return new PortalRefusal(PortalRefusal.Reason.INTEGRITY, e.getMessage(), null, e);
        }
        if (e instanceof RightsUnavailableException) {
            return new PortalRefusal(PortalRefusal.Reason.UNAVAILABLE, e.getMessage(), null, e);
        }
        return new PortalRefusal(PortalRefusal.Reason.UNAVAILABLE, e.getMessage(), null, e);
    }

    @Override
    public String toString() {
        return "RightsPortalEngine[" + current.settings.issuer() + "]";
    }
}
