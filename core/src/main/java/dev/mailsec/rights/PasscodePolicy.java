package dev.mailsec.rights;

import dev.mailsec.shaded.bc.util.encoders.Hex;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * The portal's reader challenge over the rights store: one-time passcodes, their rate limits (per
 * client, and per address and message, over a sliding hour) and the lock-out of a client after
 * wrong codes. Records: the code ({@link PasscodeState}), wrong attempts and lock-out per client
 * ({@link ReaderLock}), the rate windows ({@link RateWindow}). Each request is one compare-and-set
 * transaction over these records. Thread-safe.
 */
final class PasscodePolicy {
    /** A code is void after this many times the allowed wrong attempts, summed over all clients. */
    static final int CODE_WRONG_FACTOR = 4;

    /** Finds a live message: unknown, revoked and expired are the same answer for anyone. */
    interface LiveMessages {
        StoredMessage live(String licenceId, Instant now) throws RightsException;
    }

    private final RightsRecords records;
    private final LiveMessages messages;
    private final AccessLog log;
    private final SecureRandom random;

    PasscodePolicy(
            RightsRecords records, LiveMessages messages, AccessLog log, SecureRandom random) {
        this.records = records;
        this.messages = messages;
        this.log = log;
        this.random = random;
    }

    /**
     * See {@link RightsStore#issuePasscode(String, String, String, Instant, PortalSettings,
     * PasscodeKeys)}.
     */
    PasscodeIssue issue(
            String licenceId,
            String address,
            String clientIp,
            Instant now,
            PortalSettings settings,
            PasscodeKeys keys)
            throws RightsException {
        String addr = Rights.address(address);
        StoredMessage sm = messages.live(licenceId, now);
        String jti = sm.licenceId();
        boolean party = addr.equals(sm.sender()) || sm.recipients().contains(addr);
        return issue(jti, jti, addr, party, clientIp, now, settings, keys);
    }

    /**
     * A passcode for the portal's sender pages: as {@link #issue(String, String, String, Instant,
     * PortalSettings, PasscodeKeys)}, in the scope {@link #SENDER_SCOPE} instead of a message's,
     * for an address that protected at least one message ({@code sender}); any other address gets
     * the same work and {@code NOT_A_PARTY}. Logged in the sender's own log ({@link #senderLogId}).
     */
    PasscodeIssue issueForSender(
            String address,
            boolean sender,
            String clientIp,
            Instant now,
            PortalSettings settings,
            PasscodeKeys keys)
            throws RightsException {
        String addr = Rights.address(address);
        return issue(SENDER_SCOPE, senderLogId(addr), addr, sender, clientIp, now, settings, keys);
    }

    /**
     * Issues in {@code scope} (a licence id, or {@link #SENDER_SCOPE}), logging under {@code
     * logId}.
     */
    private PasscodeIssue issue(
            String scope,
            String logId,
            String addr,
            boolean party,
            String clientIp,
            Instant now,
            PortalSettings settings,
            PasscodeKeys keys)
            throws RightsException {
        String jti = scope;
        String client = clientIp == null ? "" : clientIp.trim();
        String stateKey = stateKey(jti, addr);
        String lockKey = lockKey(jti, addr, client);
        // per address and message: a reader who asked for codes for other messages is not limited
        // on this one
        String addrKey = "r/a/" + jti + "/" + RightsRecords.hash(addr);
        String clientKey = "r/c/" + RightsRecords.hash(client);
        RightsKey<SecretKey> key = keys.primary();
        Instant expires = now.plus(settings.passcodeTtl());
        String code =
                records.update(
                        "issue a passcode",
                        (tx, attempt) -> {
                            ReaderLock lock =
                                    tx.read(lockKey, ReaderLock.CODEC).orElse(ReaderLock.NONE);
                            if (lock.isLocked(now)) {
                                throw new LockedOutException(jti, lock.lockedUntil());
                            }
                            tx.read(
                                    stateKey,
                                    PasscodeState
                                            .CODEC); // replaced whatever it holds, even a code of
                            // an earlier version
                            tx.put(
                                    addrKey,
                                    RateWindow.CODEC,
                                    tx.read(addrKey, RateWindow.CODEC)
                                            .orElse(RateWindow.EMPTY)
                                            .plus(
                                                    now,
                                                    settings.passcodesPerAddressPerHour(),
                                                    RateLimitedException.Scope.ADDRESS));
                            if (!client.isEmpty()) {
                                tx.put(
                                        clientKey,
                                        RateWindow.CODEC,
                                        tx.read(clientKey, RateWindow.CODEC)
                                                .orElse(RateWindow.EMPTY)
                                                .plus(
                                                        now,
                                                        settings.passcodesPerClientPerHour(),
                                                        RateLimitedException.Scope.CLIENT));
                            }
                            String fresh =
                                    String.format(Locale.ROOT, "%08d", random.nextInt(100_000_000));
                            // a non-party's record holds the MAC of 32 random bytes: the same work,
                            // and no passcode matches it
                            String macInput = party ? fresh : Hex.toHexString(randomBytes(32));
                            byte[] salt = randomBytes(16);
                            tx.put(
                                    stateKey,
                                    PasscodeState.CODEC,
                                    PasscodeState.issued(
                                            key.kid(),
                                            salt,
                                            PasscodeKeys.mac(key.key(), salt, jti, addr, macInput),
                                            expires));
                            return fresh;
                        });
        if (party) {
            log.append(
                    new AccessEvent(
                            now,
                            logId,
                            addr,
                            EventType.PASSCODE_SENT,
                            Channel.PORTAL,
                            client,
                            "valid until " + expires));
            return new PasscodeIssue(code, expires);
        }
        log.append(
                new AccessEvent(
                        now,
                        logId,
                        addr,
                        EventType.OPEN_REFUSED,
                        Channel.PORTAL,
                        client,
                        jti.equals(SENDER_SCOPE)
                                ? "sender passcode asked for by an address that protected nothing"
                                : "passcode asked for by a non-party"));
        throw new RightsDeniedException(
                RightsDeniedException.Reason.NOT_A_PARTY,
                jti.equals(SENDER_SCOPE) ? null : jti,
                "the address is not a party of the licence");
    }

    /**
     * See {@link RightsStore#checkPasscode(String, String, String, String, Instant, PortalSettings,
     * PasscodeKeys)}.
     */
    PasscodeCheck check(
            String licenceId,
            String address,
            String code,
            String client,
            Instant now,
            PortalSettings settings,
            PasscodeKeys keys)
            throws RightsUnavailableException {
        if (!MessageRecords.isLicenceId(licenceId)) {
            return new PasscodeCheck(PasscodeCheck.Status.NONE, 0, null);
        }
        return check(licenceId, licenceId, address, code, client, now, settings, keys);
    }

    /** Checks a passcode of the sender pages ({@link #issueForSender}). */
    PasscodeCheck checkForSender(
            String address,
            String code,
            String client,
            Instant now,
            PortalSettings settings,
            PasscodeKeys keys)
            throws RightsUnavailableException {
        String addr = Rights.address(address);
        return check(SENDER_SCOPE, senderLogId(addr), addr, code, client, now, settings, keys);
    }

    /**
     * Checks in {@code scope} (a licence id, or {@link #SENDER_SCOPE}), logging under {@code
     * logId}.
     */
    private PasscodeCheck check(
            String licenceId,
            String logId,
            String address,
            String code,
            String client,
            Instant now,
            PortalSettings settings,
            PasscodeKeys keys)
            throws RightsUnavailableException {
        String addr = Rights.address(address);
        String stateKey = stateKey(licenceId, addr);
        String cl = client == null ? "" : client.trim();
        String lockKey = lockKey(licenceId, addr, cl);
        int allowed = settings.maxWrongAttempts();
        Outcome o =
                records.update(
                        "check a passcode",
                        (tx, attempt) -> {
                            ReaderLock lock =
                                    tx.read(lockKey, ReaderLock.CODEC).orElse(ReaderLock.NONE);
                            if (lock.isLocked(now)) {
                                return Outcome.quiet(
                                        PasscodeCheck.Status.LOCKED, lock.lockedUntil());
                            }
                            Optional<PasscodeState> st = tx.read(stateKey, PasscodeState.CODEC);
                            if (!st.isPresent()) {
                                return Outcome.quiet(PasscodeCheck.Status.NONE, null);
                            }
                            PasscodeState s = st.get();
                            if (!s.isLive()) {
                                return Outcome.quiet(
                                        s.isLegacy()
                                                ? PasscodeCheck.Status.EXPIRED
                                                : PasscodeCheck.Status.NONE,
                                        null);
                            }
                            Optional<SecretKey> key =
                                    s.isExpired(now) ? Optional.empty() : keys.byId(s.kid());
                            if (!key.isPresent()) {
                                return Outcome.quiet(PasscodeCheck.Status.EXPIRED, null);
                            }
                            boolean match =
                                    code != null
                                            && MessageDigest.isEqual(
                                                    s.mac(),
                                                    PasscodeKeys.mac(
                                                            key.get(),
                                                            s.salt(),
                                                            licenceId,
                                                            addr,
                                                            code.trim()));
                            if (match) {
                                tx.put(stateKey, PasscodeState.CODEC, s.consumed());
                                tx.put(lockKey, ReaderLock.CODEC, ReaderLock.NONE);
                                return new Outcome(
                                        new PasscodeCheck(PasscodeCheck.Status.OK, allowed, null),
                                        EventType.PASSCODE_OK);
                            }
                            // an expired lock-out starts afresh
                            long wrong = (lock.wasLocked() ? 0 : lock.wrong()) + 1;
                            tx.put(
                                    stateKey,
                                    PasscodeState.CODEC,
                                    s.wrongOnce(
                                            s.wrong() + 1 >= (long) allowed * CODE_WRONG_FACTOR));
                            if (wrong >= allowed) {
                                Instant until = now.plus(settings.lockout());
                                tx.put(
                                        lockKey,
                                        ReaderLock.CODEC,
                                        new ReaderLock(wrong, until.toEpochMilli()));
                                return new Outcome(
                                        new PasscodeCheck(PasscodeCheck.Status.LOCKED, 0, until),
                                        EventType.PASSCODE_LOCKED);
                            }
                            tx.put(lockKey, ReaderLock.CODEC, new ReaderLock(wrong, 0));
                            return new Outcome(
                                    new PasscodeCheck(
                                            PasscodeCheck.Status.WRONG,
                                            (int) (allowed - wrong),
                                            null),
                                    EventType.PASSCODE_FAILED);
                        });
        if (o.event != null) {
            log.append(
                    new AccessEvent(
                            now,
                            logId,
                            addr,
                            o.event,
                            Channel.PORTAL,
                            cl,
                            o.event == EventType.PASSCODE_LOCKED
                                    ? "locked until " + o.result.lockedUntil().get()
                                    : o.event == EventType.PASSCODE_FAILED
                                            ? o.result.remainingAttempts() + " attempts left"
                                            : ""));
        }
        return o.result;
    }

    /**
     * The scope of the sender pages' passcodes in the record keys and the passcode MAC, where a
     * reader's passcode has its licence id (16 to 64 characters, so never this).
     */
    static final String SENDER_SCOPE = "sender";

    /**
     * The access-log id under which a sender's sign-ins to the sender pages are logged: {@code
     * sender-} and 40 hex digits of the address's SHA-256, shaped like a licence id so that {@code
     * mailsec rights log} shows it.
     */
    static String senderLogId(String address) {
        return "sender-" + RightsRecords.hash(Rights.address(address)).substring(0, 40);
    }

    /** The passcode of one address for one message. */
    static String stateKey(String licenceId, String addr) {
        return "c/" + licenceId + "/" + RightsRecords.hash(addr);
    }

    /** Wrong-passcode count and lock-out of one client for one address and message. */
    private static String lockKey(String licenceId, String addr, String client) {
        return "l/" + licenceId + "/" + RightsRecords.hash(addr) + "/" + RightsRecords.hash(client);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** What a check answers, and what it logs (nothing for an answer that changed nothing). */
    private static final class Outcome {
        final PasscodeCheck result;
        final EventType event;

        Outcome(PasscodeCheck result, EventType event) {
            this.result = result;
            this.event = event;
        }

        static Outcome quiet(PasscodeCheck.Status status, Instant lockedUntil) {
            return new Outcome(new PasscodeCheck(status, 0, lockedUntil), null);
        }
    }
}
