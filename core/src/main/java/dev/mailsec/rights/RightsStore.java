package dev.mailsec.rights;

import dev.mailsec.config.PackPaths;
import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoreFormatException;
import dev.mailsec.dkm.store.FileStorage;
import dev.mailsec.dkm.store.JdbcStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rights state shared by every mailsec process and cluster node: protected messages (licence
 * and package, by licence id and by Message-ID), revocations, the access log, and portal passcodes
 * with their rate limits and lock-outs. Built on DKM's record store ({@link Storage}: a file
 * directory or a PostgreSQL schema, with compare-and-set writes), in a directory or schema of its
 * own. Thread-safe.
 *
 * <p>Record keys: {@code m/<jti>} message metadata, {@code p/<jti>} package (file backend: the file
 * {@code packages/<2 chars>/<jti>.mailsec} instead), {@code i/<sha256(mid)>} licence ids of a
 * Message-ID, {@code e/<jti>/<millis>-<random>} access events, {@code c/<jti>/<sha256(address)>}
 * passcode state, {@code l/<jti>/<sha256(address)>/<sha256(client)>} wrong attempts and lock-out of
 * one client, {@code r/a/<jti>/<sha256(address)>} and {@code r/c/<sha256(client)>} rate windows,
 * {@code s/<sha256(session id)>} ended portal sessions. Passcodes are stored only as a keyed MAC
 * (HMAC-SHA256 under a key derived from the portal session key, {@link PasscodeKeys}) with the id
 * of the key version: the store itself holds no key, and a copy of it does not give a live code
 * away.
 *
 * <p>Rooms: {@link MessageRecords} the protected messages, their index by Message-ID and their
 * revocation; each record is a small value class with its own JSON codec ({@link StoredMessage},
 * {@link MessageIndex}, {@link AccessEvent}, {@link PasscodeState}, {@link ReaderLock}, {@link
 * RateWindow}, {@link EndedSession}); {@link RightsRecords} owns the one compare-and-set retry
 * loop; {@link PasscodePolicy} holds the passcode, rate-limit and lock-out rules; {@link AccessLog}
 * the access log; {@link PackageShelf} where packages live.
 */
public final class RightsStore implements AutoCloseable {
    /** A code is void after this many times the allowed wrong attempts, summed over all clients. */
    static final int CODE_WRONG_FACTOR = PasscodePolicy.CODE_WRONG_FACTOR;

    private final RightsRecords records;
    private final MessageRecords messages;
    private final AccessLog accessLog;
    private final PasscodePolicy passcodes;
    private final SenderIndex senders;

    /** Messages per page of {@link #sentBy}. */
    public static final int SENT_PAGE_SIZE = SenderIndex.PAGE_SIZE;

    /**
     * Uses an open storage (closed by {@link #close()}), packages included in its records. For a
     * file store use {@link #RightsStore(FileStorage)}, which keeps the packages beside it.
     */
    public RightsStore(Storage storage) {
        this(storage, PackageShelf.inRecords());
    }

    /**
     * Uses an open file storage (closed by {@link #close()}). The packages (up to the size of the
     * original message, immutable) are kept as files in its {@code packages/} folder, since the
     * file store rewrites a whole shard on every write; everything mutable stays in the records.
     */
    public RightsStore(FileStorage storage) {
        this(storage, PackageShelf.inFiles(storage.directory().resolve("packages")));
    }

    private RightsStore(Storage storage, PackageShelf packages) {
        SecureRandom random = new SecureRandom();
        this.records = new RightsRecords(storage);
        this.accessLog = new AccessLog(records, random, storage.gainsFromGroupCommit());
        this.messages = new MessageRecords(records, packages, accessLog);
        this.passcodes = new PasscodePolicy(records, messages::live, accessLog, random);
        this.senders = new SenderIndex(records);
    }

    /**
     * Opens {@code file:DIR} (created when missing; a relative DIR by {@link PackPaths}'s rule) or
     * a {@code jdbc:postgresql:} URL with tables in {@code schema} (created when missing). A store
     * written by a newer mailsec is refused, untouched ({@link dev.mailsec.dkm.store.StoreFormat}).
     *
     * @throws RightsStoreUnavailableException when the store cannot be opened
     * @throws IllegalArgumentException for a URL of another kind or a bad schema name
     */
    public static RightsStore open(String url, String schema)
            throws RightsStoreUnavailableException {
        try {
            if (url.startsWith("file:")) {
                Path dir = PackPaths.resolve(url);
                if (Files.isRegularFile(dir.resolve("dkm-store"))) {
                    return new RightsStore(FileStorage.open(dir));
                }
                try {
                    return new RightsStore(FileStorage.create(dir));
                } catch (DkmUnavailableException e) {
                    // James and the portal may both create it on first start: the loser opens the
                    // winner's store
                    if (Files.isRegularFile(dir.resolve("dkm-store"))) {
                        return new RightsStore(FileStorage.open(dir));
                    }
                    throw e;
                }
            }
            if (url.startsWith("jdbc:postgresql:")) {
                return new RightsStore(JdbcStorage.open(url, schema));
            }
        } catch (StoreFormatException e) {
            // not an outage: a store written by a newer mailsec, left untouched
            throw new RightsStoreUnavailableException("rights store refused: " + e.getMessage(), e);
        } catch (DkmUnavailableException e) {
            throw new RightsStoreUnavailableException(
                    "rights store unavailable: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(
                "store url: file:DIR or jdbc:postgresql://..., got '" + url + "'");
    }

    /**
     * As {@link #open(String, String)}, for a process that must start while the store's server is
     * down (James, the portal): a {@code jdbc:postgresql:} store that cannot be reached now is
     * opened by the first use that reaches it ({@link DeferredStorage}); until then every use fails
     * with {@link RightsStoreUnavailableException}, which holds the mail or answers 503. A wrong
     * URL or schema, and a store written by a newer mailsec, still fail at once.
     */
    public static RightsStore openWhenReachable(String url, String schema)
            throws RightsStoreUnavailableException {
        if (!url.startsWith("jdbc:postgresql:")) {
            return open(url, schema);
        }
        JdbcStorage.checkParameters(url, schema);
        try {
            return new RightsStore(JdbcStorage.open(url, schema));
        } catch (StoreFormatException e) {
            throw new RightsStoreUnavailableException("rights store refused: " + e.getMessage(), e);
        } catch (DkmUnavailableException e) {
            return new RightsStore(
                    new DeferredStorage(
                            () -> JdbcStorage.open(url, schema),
                            e,
                            Duration.ofSeconds(5),
                            System::nanoTime));
        }
    }

    /** Opens the store {@link RightsSettings#storeUrl()} names. */
    public static RightsStore open(RightsSettings settings) throws RightsStoreUnavailableException {
        return open(settings.storeUrl(), settings.storeSchema());
    }

    /** Records a freshly protected message. A licence id can be recorded once. */
    public void record(UseLicence licence, ProtectedPackage pkg)
            throws RightsStoreUnavailableException {
        messages.record(licence, pkg);
    }

    /** The package of a licence id. */
    public Optional<ProtectedPackage> packageOf(String licenceId)
            throws RightsStoreUnavailableException {
        return messages.packageOf(licenceId);
    }

    /**
     * The message of a licence id, or the latest one protected under a Message-ID (with or without
     * angle brackets).
     */
    public Optional<StoredMessage> find(String licenceIdOrMessageId)
            throws RightsStoreUnavailableException {
        return messages.find(licenceIdOrMessageId);
    }

    /**
     * Every message of a licence id (one) or of a Message-ID (one per protection), oldest first.
     */
    public List<StoredMessage> findAll(String licenceIdOrMessageId)
            throws RightsStoreUnavailableException {
        return messages.findAll(licenceIdOrMessageId);
    }

    /** The revocation of a licence id, if revoked. */
    public Optional<Revocation> revocation(String licenceId)
            throws RightsStoreUnavailableException {
        return messages.revocation(licenceId);
    }

    /**
     * Revokes the message of a licence id, or every message protected under a Message-ID, and logs
     * {@link EventType#REVOKED}.
     *
     * @return true if at least one message was newly revoked (false: unknown, or revoked already)
     */
    public boolean revoke(String licenceIdOrMessageId, String by, String reason)
            throws RightsStoreUnavailableException {
        return messages.revoke(licenceIdOrMessageId, by, reason);
    }

    /**
     * As {@link #revoke(String, String, String)} for one licence id, logged with the revoker's
     * channel and client (the portal's sender pages).
     */
    public boolean revoke(
            String licenceId, String by, String reason, Channel channel, String client)
            throws RightsStoreUnavailableException {
        if (!MessageRecords.isLicenceId(licenceId)) {
            return false;
        }
        return messages.revoke(licenceId, by, reason, channel, client);
    }

    /**
     * Page {@code page} (0: the newest) of the messages {@code sender} protected, newest first, at
     * most {@link #SENT_PAGE_SIZE} a page: one index read and one read per message on either
     * backend, however many messages the sender has. Only messages protected by a mailsec that
     * keeps the sender index (records {@code b/...}) are listed.
     */
    public SentMessages sentBy(String sender, int page) throws RightsStoreUnavailableException {
        return senders.page(sender, page);
    }

    /**
     * The access-log id of a sender's sign-ins to the portal's sender pages ({@code sender-} and 40
     * hex digits): {@code events(senderLogId(a))} reads it.
     */
    public static String senderLogId(String address) {
        return PasscodePolicy.senderLogId(address);
    }

    /**
     * A one-time passcode for the portal's sender pages: the same rules, rate windows (the
     * per-client window is the one readers use) and lock-out as {@link #issuePasscode}, in a scope
     * of their own (a reader's passcode never signs in a sender, nor the other way round). An
     * address that protected no message gets the same work and then {@code NOT_A_PARTY}. Logged in
     * {@link #senderLogId}.
     */
    public PasscodeIssue issueSenderPasscode(
            String address,
            String clientIp,
            Instant now,
            PortalSettings settings,
            PasscodeKeys keys)
            throws RightsException {
        boolean sender = senders.count(address) > 0;
        return passcodes.issueForSender(address, sender, clientIp, now, settings, keys);
    }

    /** Checks a passcode of the sender pages, as {@link #checkPasscode} checks a reader's. */
    public PasscodeCheck checkSenderPasscode(
            String address,
            String code,
            String client,
            Instant now,
            PortalSettings settings,
            PasscodeKeys keys)
            throws RightsUnavailableException {
        return passcodes.checkForSender(address, code, client, now, settings, keys);
    }

    /** Appends an event to the licence's access log. */
    public void log(AccessEvent event) throws RightsStoreUnavailableException {
        accessLog.append(event);
    }

    /** The access log of a licence id, or of every message of a Message-ID, oldest first. */
    public List<AccessEvent> events(String licenceIdOrMessageId)
            throws RightsStoreUnavailableException {
        Set<String> ids = new LinkedHashSet<>();
        for (StoredMessage sm : findAll(licenceIdOrMessageId)) {
            ids.add(sm.licenceId());
        }
        if (ids.isEmpty()
                && licenceIdOrMessageId != null
                && MessageRecords.isLicenceId(licenceIdOrMessageId.trim())) {
            ids.add(licenceIdOrMessageId.trim());
        }
        return accessLog.of(ids);
    }

    /**
     * Issues a one-time passcode for a party of a live message, replacing any earlier one, and logs
     * {@link EventType#PASSCODE_SENT} (the caller mails the code; it is not kept here in clear).
     *
     * <p>An address that is not a party gets exactly the same treatment, so that no answer and no
     * timing tells parties from non-parties: the same lock-out check, the same rate windows (per
     * client, and per address and message), a passcode record of the same shape (a MAC over a
     * random value no passcode can match) written the same way, and one access-log line ({@link
     * EventType#OPEN_REFUSED}); only then {@code NOT_A_PARTY} is thrown, and the caller mails
     * nothing. What one client leaves in the store is bounded by the per-client limit, whatever
     * addresses it asks for. The rules: {@link PasscodePolicy}.
     *
     * @throws RightsDeniedException unknown message, revoked or expired; not a party (after the
     *     same work)
     * @throws LockedOutException this client is locked out of this message for this address
     * @throws RateLimitedException too many requests this hour for the address (on this message) or
     *     the client
     * @throws RightsKeyUnavailableException the passcode key cannot be read
     */
    public PasscodeIssue issuePasscode(
            String licenceId,
            String address,
            String clientIp,
            Instant now,
            PortalSettings settings,
            PasscodeKeys keys)
            throws RightsException {
        return passcodes.issue(licenceId, address, clientIp, now, settings, keys);
    }

    /**
     * {@link #checkPasscode(String, String, String, String, Instant, PortalSettings, PasscodeKeys)}
     * without a client.
     */
    public PasscodeCheck checkPasscode(
            String licenceId,
            String address,
            String code,
            Instant now,
            PortalSettings settings,
            PasscodeKeys keys)
            throws RightsUnavailableException {
        return checkPasscode(licenceId, address, code, "", now, settings, keys);
    }

    /**
     * Checks a passcode: OK consumes it (single use, compare-and-set, so two concurrent uses give
     * one OK); a wrong one counts towards the lock-out of this client for this address and message
     * (so a stranger who enters wrong codes for a reader's address locks out only himself). After
     * {@link #CODE_WRONG_FACTOR} times the allowed attempts, from any clients, the code itself is
     * void (no brute force from many clients). Logs PASSCODE_OK / PASSCODE_FAILED /
     * PASSCODE_LOCKED. Parties and non-parties (whose record no code matches) go through the same
     * steps and get the same answers. The code is checked under the session-key version it was
     * issued under; when that version is no longer readable (destroyed), or the code was stored by
     * an older mailsec as a plain hash, the result is EXPIRED (ask for a new code) and no attempt
     * is counted.
     *
     * @throws RightsKeyUnavailableException the passcode key cannot be read (nothing is counted)
     */
    public PasscodeCheck checkPasscode(
            String licenceId,
            String address,
            String code,
            String client,
            Instant now,
            PortalSettings settings,
            PasscodeKeys keys)
            throws RightsUnavailableException {
        return passcodes.check(licenceId, address, code, client, now, settings, keys);
    }

    /**
     * Ends a portal session (sign-out) for every portal node on this store: the session id is kept
     * (as a SHA-256, never in clear) so that its cookie, replayed after sign-out, opens nothing.
     * Only signed-in sessions are ended, so what this keeps is bounded by the sign-ins; {@code
     * expires} (the cookie's own end) says when the record no longer matters.
     */
    public void endSession(String sessionId, Instant expires, Instant now)
            throws RightsStoreUnavailableException {
        String key = "s/" + RightsRecords.hash(sessionId);
        if (!records.exists(key)) {
            // false: another node ended it first
            records.create(key, EndedSession.CODEC, new EndedSession(expires, now), "write");
        }
    }

    /** Whether {@link #endSession} was called for this session id, on any node. */
    public boolean isSessionEnded(String sessionId, Instant now)
            throws RightsStoreUnavailableException {
        return records.exists("s/" + RightsRecords.hash(sessionId));
    }

    @Override
    public void close() {
        records.close();
    }

    @Override
    public String toString() {
        return "RightsStore[" + records.backend() + "]";
    }
}
