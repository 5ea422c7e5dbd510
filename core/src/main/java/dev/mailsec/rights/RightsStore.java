package dev.mailsec.rights;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoreFormatException;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import dev.mailsec.dkm.store.FileStorage;
import dev.mailsec.dkm.store.JdbcStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rights state shared by every mailsec process and cluster node: protected messages (licence and package,
 * by licence id and by Message-ID), revocations, the access log, and portal passcodes with their rate limits
 * and lock-outs. Built on DKM's record store ({@link Storage}: a file directory or a PostgreSQL schema, with
 * compare-and-set writes), in a directory or schema of its own. Thread-safe.
 *
 * <p>Record keys: {@code m/<jti>} message metadata, {@code p/<jti>} package (file backend: the file
 * {@code packages/<2 chars>/<jti>.mailsec} instead), {@code i/<sha256(mid)>} licence
 * ids of a Message-ID, {@code e/<jti>/<millis>-<random>} access events, {@code c/<jti>/<sha256(address)>}
 * passcode state, {@code l/<jti>/<sha256(address)>/<sha256(client)>} wrong attempts and lock-out of one client,
 * {@code r/a/<jti>/<sha256(address)>} and {@code r/c/<sha256(client)>} rate windows, {@code s/<sha256(session id)>}
 * ended portal sessions. Passcodes are
 * stored only as a keyed MAC (HMAC-SHA256 under a key derived from the portal session key, {@link PasscodeKeys})
 * with the id of the key version: the store itself holds no key, and a copy of it does not give a live code away.
 */
public final class RightsStore implements AutoCloseable {
    private static final Pattern LICENCE_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final long HOUR = 3_600_000L;
    private static final int RETRIES = 20;
    /** A code is void after this many times the allowed wrong attempts, summed over all clients. */
    static final int CODE_WRONG_FACTOR = 4;

    private final Storage storage;
    /** File backend only: packages live as write-once files here instead of in the record shards. */
    private final Path packageDir;
    private final SecureRandom random = new SecureRandom();

    /**
     * Uses an open storage (closed by {@link #close()}). On a {@link FileStorage} the packages (up to the size
     * of the original message, immutable) are kept as files in its {@code packages/} folder, since the file
     * store rewrites a whole shard on every write; everything mutable stays in the records.
     */
    public RightsStore(Storage storage) {
        this.storage = storage;
        this.packageDir = storage instanceof FileStorage ? ((FileStorage) storage).directory().resolve("packages") : null;
    }

    /**
     * Opens {@code file:DIR} (created when missing) or a {@code jdbc:postgresql:} URL with tables in
     * {@code schema} (created when missing). A store written by a newer mailsec is refused, untouched
     * ({@link dev.mailsec.dkm.store.StoreFormat}).
     *
     * @throws RightsStoreUnavailableException when the store cannot be opened
     * @throws IllegalArgumentException for a URL of another kind or a bad schema name
     */
    public static RightsStore open(String url, String schema) throws RightsStoreUnavailableException {
        try {
            if (url.startsWith("file:")) {
                Path dir = Paths.get(url.substring(5)).toAbsolutePath().normalize();
                if (Files.isRegularFile(dir.resolve("dkm-store"))) {
                    return new RightsStore(FileStorage.open(dir));
                }
                try {
                    return new RightsStore(FileStorage.create(dir));
                } catch (DkmUnavailableException e) {
                    // James and the portal may both create it on first start: the loser opens the winner's store
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
            throw new RightsStoreUnavailableException("rights store unavailable: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("store url: file:DIR or jdbc:postgresql://..., got '" + url + "'");
    }

    /** Opens the store {@link RightsSettings#storeUrl()} names. */
    public static RightsStore open(RightsSettings settings) throws RightsStoreUnavailableException {
        return open(settings.storeUrl(), settings.storeSchema());
    }

    // ---------------------------------------------------------------- messages

    /** Records a freshly protected message. A licence id can be recorded once. */
    public void record(UseLicence licence, ProtectedPackage pkg) throws RightsStoreUnavailableException {
        String jti = licence.licenceId();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lid", jti);
        m.put("mid", licence.messageId());
        m.put("sub", licence.sender());
        m.put("rcpt", new ArrayList<>(licence.recipients()));
        m.put("tpl", licence.template());
        m.put("rights", Rights.tokenList(licence.rights()));
        m.put("created", licence.issuedAt().toEpochMilli());
        if (licence.expiresAt().isPresent()) {
            m.put("exp", licence.expiresAt().get().toEpochMilli());
        }
        String indexKey = "i/" + hash(licence.messageId());
        for (int i = 0; i < RETRIES; i++) {
            Optional<StoredRecord> idx = get(indexKey);
            List<Object> ids = idx.isPresent() ? list(parse(idx.get()).get("ids")) : new ArrayList<>();
            ids.add(jti);
            Map<String, Object> index = new LinkedHashMap<>();
            index.put("ids", ids);
            List<Write> w = new ArrayList<>();
            w.add(new Write("m/" + jti, 0, json(m)));
            if (packageDir == null) {
                w.add(new Write("p/" + jti, 0, pkg.encode()));
            } else if (i == 0) {
                writePackageFile(jti, pkg);
            }
            w.add(new Write(indexKey, idx.isPresent() ? idx.get().revision() : 0, json(index)));
            try {
                storage.write(w);
                return;
            } catch (Storage.ConflictException e) {
                if (get("m/" + jti).isPresent()) {
                    throw new IllegalStateException("licence " + jti + " is recorded already");
                }
            } catch (DkmUnavailableException e) {
                throw unavailable("record " + jti, e);
            }
        }
        throw new RightsStoreUnavailableException("record " + jti + ": too much concurrent writing", null);
    }

    /** The package of a licence id. */
    public Optional<ProtectedPackage> packageOf(String licenceId) throws RightsStoreUnavailableException {
        if (licenceId == null || !LICENCE_ID.matcher(licenceId).matches()) {
            return Optional.empty();
        }
        byte[] bytes;
        if (packageDir != null) {
            if (!get("m/" + licenceId).isPresent()) {
                return Optional.empty();
            }
            bytes = readPackageFile(licenceId);
        } else {
            Optional<StoredRecord> r = get("p/" + licenceId);
            if (!r.isPresent()) {
                return Optional.empty();
            }
            bytes = r.get().value();
        }
        try {
            return Optional.of(ProtectedPackage.decode(bytes));
        } catch (RightsFormatException e) {
            throw new IllegalStateException("rights store record p/" + licenceId + " is corrupt", e);
        }
    }

    /**
     * The message of a licence id, or the latest one protected under a Message-ID (with or without angle
     * brackets).
     */
    public Optional<StoredMessage> find(String licenceIdOrMessageId) throws RightsStoreUnavailableException {
        List<StoredMessage> all = findAll(licenceIdOrMessageId);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Every message of a licence id (one) or of a Message-ID (one per protection), oldest first. */
    public List<StoredMessage> findAll(String licenceIdOrMessageId) throws RightsStoreUnavailableException {
        List<StoredMessage> out = new ArrayList<>();
        if (licenceIdOrMessageId == null || licenceIdOrMessageId.trim().isEmpty()) {
            return out;
        }
        String id = licenceIdOrMessageId.trim();
        if (LICENCE_ID.matcher(id).matches()) {
            Optional<StoredRecord> r = get("m/" + id);
            if (r.isPresent()) {
                out.add(message(parse(r.get())));
                return out;
            }
        }
        Optional<StoredRecord> idx = get("i/" + hash(Rights.messageId(id)));
        if (idx.isPresent()) {
            for (Object jti : list(parse(idx.get()).get("ids"))) {
                Optional<StoredRecord> r = get("m/" + jti);
                if (r.isPresent()) {
                    out.add(message(parse(r.get())));
                }
            }
        }
        return out;
    }

    /** The revocation of a licence id, if revoked. */
    public Optional<Revocation> revocation(String licenceId) throws RightsStoreUnavailableException {
        if (licenceId == null || !LICENCE_ID.matcher(licenceId).matches()) {
            return Optional.empty();
        }
        Optional<StoredRecord> r = get("m/" + licenceId);
        return r.isPresent() ? message(parse(r.get())).revocation() : Optional.empty();
    }

    /**
     * Revokes the message of a licence id, or every message protected under a Message-ID, and logs
     * {@link EventType#REVOKED}.
     *
     * @return true if at least one message was newly revoked (false: unknown, or revoked already)
     */
    public boolean revoke(String licenceIdOrMessageId, String by, String reason) throws RightsStoreUnavailableException {
        boolean any = false;
        for (StoredMessage sm : findAll(licenceIdOrMessageId)) {
            String key = "m/" + sm.licenceId();
            for (int i = 0; ; i++) {
                StoredRecord r = get(key).orElseThrow(() -> new IllegalStateException("vanished: " + key));
                Map<String, Object> m = parse(r);
                if (m.get("revoked") != null) {
                    break;
                }
                Instant now = Instant.now();
                Map<String, Object> rev = new LinkedHashMap<>();
                rev.put("at", now.toEpochMilli());
                rev.put("by", by == null ? "" : by);
                rev.put("reason", reason == null ? "" : reason);
                m.put("revoked", rev);
                if (tryWrite(new Write(key, r.revision(), json(m)))) {
                    any = true;
                    log(new AccessEvent(now, sm.licenceId(), by, EventType.REVOKED, null, "", reason));
                    break;
                }
                if (i >= RETRIES) {
                    throw new RightsStoreUnavailableException("revoke " + sm.licenceId() + ": too much concurrent writing", null);
                }
            }
        }
        return any;
    }

    // ---------------------------------------------------------------- access log

    /** Appends an event to the licence's access log. */
    public void log(AccessEvent event) throws RightsStoreUnavailableException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("t", event.time().toEpochMilli());
        e.put("lid", event.licenceId());
        e.put("addr", event.address());
        e.put("type", event.type().name());
        e.put("ch", event.channel() == null ? "" : event.channel().name());
        e.put("client", event.client());
        e.put("detail", event.detail());
        byte[] nonce = new byte[6];
        random.nextBytes(nonce);
        String key = String.format(Locale.ROOT, "e/%s/%020d-%s", event.licenceId(), event.time().toEpochMilli(),
                hex(nonce));
        try {
            storage.write(List.of(new Write(key, 0, json(e))));
        } catch (Storage.ConflictException ex) {
            throw new IllegalStateException("event key collision " + key, ex);
        } catch (DkmUnavailableException ex) {
            throw unavailable("log an access event", ex);
        }
    }

    /** The access log of a licence id, or of every message of a Message-ID, oldest first. */
    public List<AccessEvent> events(String licenceIdOrMessageId) throws RightsStoreUnavailableException {
        Set<String> ids = new LinkedHashSet<>();
        for (StoredMessage sm : findAll(licenceIdOrMessageId)) {
            ids.add(sm.licenceId());
        }
        if (ids.isEmpty() && licenceIdOrMessageId != null && LICENCE_ID.matcher(licenceIdOrMessageId.trim()).matches()) {
            ids.add(licenceIdOrMessageId.trim());
        }
        List<AccessEvent> out = new ArrayList<>();
        for (String id : ids) {
            List<StoredRecord> recs;
            try {
                recs = storage.list("e/" + id + "/");
            } catch (DkmUnavailableException e) {
                throw unavailable("read the access log", e);
            }
            for (StoredRecord r : recs) {
                Map<String, Object> e = parse(r);
                String ch = str(e.get("ch"));
                out.add(new AccessEvent(Instant.ofEpochMilli(num(e.get("t"))), str(e.get("lid")), str(e.get("addr")),
                        EventType.valueOf(str(e.get("type"))), ch.isEmpty() ? null : Channel.valueOf(ch),
                        str(e.get("client")), str(e.get("detail"))));
            }
        }
        out.sort(Comparator.comparing(AccessEvent::time));
        return out;
    }

    // ---------------------------------------------------------------- passcodes

    /**
     * Issues a one-time passcode for a party of a live message, replacing any earlier one, and logs
     * {@link EventType#PASSCODE_SENT} (the caller mails the code; it is not kept here in clear).
     *
     * <p>An address that is not a party gets exactly the same treatment, so that no answer and no timing tells
     * parties from non-parties: the same lock-out check, the same rate windows (per client, and per address
     * and message), a passcode record of the same shape (a MAC over a random value no passcode can match)
     * written the same way, and one access-log line ({@link EventType#OPEN_REFUSED}); only then
     * {@code NOT_A_PARTY} is thrown, and the caller mails nothing. What one client leaves in the store is
     * bounded by the per-client limit, whatever addresses it asks for.
     *
     * @throws RightsDeniedException unknown message, revoked or expired; not a party (after the same work)
     * @throws LockedOutException this client is locked out of this message for this address
     * @throws RateLimitedException too many requests this hour for the address (on this message) or the client
     * @throws RightsKeyUnavailableException the passcode key cannot be read
     */
    public PasscodeIssue issuePasscode(String licenceId, String address, String clientIp, Instant now,
            PortalSettings settings, PasscodeKeys keys) throws RightsException {
        String addr = Rights.address(address);
        StoredMessage sm = live(licenceId, now);
        boolean party = addr.equals(sm.sender()) || sm.recipients().contains(addr);
        String client = clientIp == null ? "" : clientIp.trim();
        String stateKey = "c/" + sm.licenceId() + "/" + hash(addr);
        String lockKey = lockKey(sm.licenceId(), addr, client);
        // per address and message: a reader who asked for codes for other messages is not limited on this one
        String addrKey = "r/a/" + sm.licenceId() + "/" + hash(addr);
        String clientKey = "r/c/" + hash(client);
        RightsKey<javax.crypto.SecretKey> key = keys.primary();
        for (int i = 0; i < RETRIES; i++) {
            Optional<StoredRecord> lock = get(lockKey);
            long lockedUntil = lock.isPresent() ? num0(parse(lock.get()).get("lockedUntil")) : 0;
            if (lockedUntil > now.toEpochMilli()) {
                throw new LockedOutException(sm.licenceId(), Instant.ofEpochMilli(lockedUntil));
            }
            Optional<StoredRecord> st = get(stateKey);
            Map<String, Object> s = st.isPresent() ? parse(st.get()) : new LinkedHashMap<>();
            List<Write> writes = new ArrayList<>();
            Optional<StoredRecord> ar = get(addrKey);
            writes.add(window(addrKey, ar, now, settings.passcodesPerAddressPerHour(), RateLimitedException.Scope.ADDRESS));
            if (!client.isEmpty()) {
                Optional<StoredRecord> cr = get(clientKey);
                writes.add(window(clientKey, cr, now, settings.passcodesPerClientPerHour(), RateLimitedException.Scope.CLIENT));
            }
            String code = newCode();
            // a non-party's record holds the MAC of 32 random bytes: the same work, and no passcode matches it
            String macInput = party ? code : hex(randomBytes(32));
            byte[] salt = randomBytes(16);
            s.remove("hash"); // a salted SHA-256 of an earlier version, brute-forceable
            s.remove("lockedUntil"); // lock-outs of an earlier version, by address alone
            s.put("kid", key.kid());
            s.put("salt", Base64.getEncoder().encodeToString(salt));
            s.put("mac", Base64.getEncoder().encodeToString(
                    PasscodeKeys.mac(key.key(), salt, sm.licenceId(), addr, macInput)));
            s.put("expires", now.plus(settings.passcodeTtl()).toEpochMilli());
            s.put("wrong", 0L);
            writes.add(new Write(stateKey, st.isPresent() ? st.get().revision() : 0, json(s)));
            if (tryWrite(writes)) {
                if (party) {
                    log(new AccessEvent(now, sm.licenceId(), addr, EventType.PASSCODE_SENT, Channel.PORTAL, client,
                            "valid until " + now.plus(settings.passcodeTtl())));
                    return new PasscodeIssue(code, now.plus(settings.passcodeTtl()));
                }
                log(new AccessEvent(now, sm.licenceId(), addr, EventType.OPEN_REFUSED, Channel.PORTAL, client,
                        "passcode asked for by a non-party"));
                throw new RightsDeniedException(RightsDeniedException.Reason.NOT_A_PARTY, licenceId,
                        "the address is not a party of the licence");
            }
        }
        throw new RightsStoreUnavailableException("issue a passcode: too much concurrent writing", null);
    }

    /** {@link #checkPasscode(String, String, String, String, Instant, PortalSettings, PasscodeKeys)} without a client. */
    public PasscodeCheck checkPasscode(String licenceId, String address, String code, Instant now, PortalSettings settings,
            PasscodeKeys keys) throws RightsUnavailableException {
        return checkPasscode(licenceId, address, code, "", now, settings, keys);
    }

    /**
     * Checks a passcode: OK consumes it (single use, compare-and-set, so two concurrent uses give one OK);
     * a wrong one counts towards the lock-out of this client for this address and message (so a stranger who
     * enters wrong codes for a reader's address locks out only himself). After {@link #CODE_WRONG_FACTOR} times
     * the allowed attempts, from any clients, the code itself is void (no brute force from many clients). Logs
     * PASSCODE_OK / PASSCODE_FAILED / PASSCODE_LOCKED. Parties and non-parties (whose record no code matches)
     * go through the same steps and get the same answers. The code is checked under the session-key version
     * it was issued under; when that version is no longer readable (destroyed), or the code was stored by an
     * older mailsec as a plain hash, the result is EXPIRED (ask for a new code) and no attempt is counted.
     *
     * @throws RightsKeyUnavailableException the passcode key cannot be read (nothing is counted)
     */
    public PasscodeCheck checkPasscode(String licenceId, String address, String code, String client, Instant now,
            PortalSettings settings, PasscodeKeys keys) throws RightsUnavailableException {
        if (licenceId == null || !LICENCE_ID.matcher(licenceId).matches()) {
            return new PasscodeCheck(PasscodeCheck.Status.NONE, 0, null);
        }
        String addr = Rights.address(address);
        String stateKey = "c/" + licenceId + "/" + hash(addr);
        String cl = client == null ? "" : client.trim();
        String lockKey = lockKey(licenceId, addr, cl);
        for (int i = 0; i < RETRIES; i++) {
            Optional<StoredRecord> lock = get(lockKey);
            Map<String, Object> l = lock.isPresent() ? parse(lock.get()) : new LinkedHashMap<>();
            long lockedUntil = num0(l.get("lockedUntil"));
            if (lockedUntil > now.toEpochMilli()) {
                return new PasscodeCheck(PasscodeCheck.Status.LOCKED, 0, Instant.ofEpochMilli(lockedUntil));
            }
            Optional<StoredRecord> st = get(stateKey);
            if (!st.isPresent()) {
                return new PasscodeCheck(PasscodeCheck.Status.NONE, 0, null);
            }
            Map<String, Object> s = parse(st.get());
            if (s.get("mac") == null) {
                return new PasscodeCheck(s.get("hash") != null ? PasscodeCheck.Status.EXPIRED : PasscodeCheck.Status.NONE,
                        0, null);
            }
            if (num(s.get("expires")) <= now.toEpochMilli()) {
                return new PasscodeCheck(PasscodeCheck.Status.EXPIRED, 0, null);
            }
            Optional<javax.crypto.SecretKey> key = keys.byId(str(s.get("kid")));
            if (!key.isPresent()) {
                return new PasscodeCheck(PasscodeCheck.Status.EXPIRED, 0, null);
            }
            // an expired lock-out starts afresh
            long wrong = lockedUntil != 0 ? 0 : num0(l.get("wrong"));
            l.remove("lockedUntil");
            byte[] salt = Base64.getDecoder().decode(str(s.get("salt")));
            byte[] expected = Base64.getDecoder().decode(str(s.get("mac")));
            boolean match = code != null && MessageDigest.isEqual(expected,
                    PasscodeKeys.mac(key.get(), salt, licenceId, addr, code.trim()));
            PasscodeCheck result;
            EventType type;
            List<Write> writes = new ArrayList<>();
            if (match) {
                s.remove("mac");
                s.remove("salt");
                s.remove("kid");
                s.put("wrong", 0L);
                l.put("wrong", 0L);
                result = new PasscodeCheck(PasscodeCheck.Status.OK, settings.maxWrongAttempts(), null);
                type = EventType.PASSCODE_OK;
            } else {
                wrong++;
                long onCode = num0(s.get("wrong")) + 1;
                s.put("wrong", onCode);
                if (onCode >= (long) settings.maxWrongAttempts() * CODE_WRONG_FACTOR) {
                    s.remove("mac");
                    s.remove("salt");
                    s.remove("kid");
                }
                l.put("wrong", wrong);
                if (wrong >= settings.maxWrongAttempts()) {
                    Instant until = now.plus(settings.lockout());
                    l.put("lockedUntil", until.toEpochMilli());
                    result = new PasscodeCheck(PasscodeCheck.Status.LOCKED, 0, until);
                    type = EventType.PASSCODE_LOCKED;
                } else {
                    result = new PasscodeCheck(PasscodeCheck.Status.WRONG, (int) (settings.maxWrongAttempts() - wrong), null);
                    type = EventType.PASSCODE_FAILED;
                }
            }
            writes.add(new Write(stateKey, st.get().revision(), json(s)));
            writes.add(new Write(lockKey, lock.isPresent() ? lock.get().revision() : 0, json(l)));
            if (tryWrite(writes)) {
                log(new AccessEvent(now, licenceId, addr, type, Channel.PORTAL, cl,
                        type == EventType.PASSCODE_LOCKED ? "locked until " + result.lockedUntil().get()
                                : type == EventType.PASSCODE_FAILED ? result.remainingAttempts() + " attempts left" : ""));
                return result;
            }
        }
        throw new RightsStoreUnavailableException("check a passcode: too much concurrent writing", null);
    }

    // ---------------------------------------------------------------- portal sessions

    /**
     * Ends a portal session (sign-out) for every portal node on this store: the session id is kept (as a
     * SHA-256, never in clear) so that its cookie, replayed after sign-out, opens nothing. Only signed-in
     * sessions are ended, so what this keeps is bounded by the sign-ins; {@code expires} (the cookie's own
     * end) says when the record no longer matters.
     */
    public void endSession(String sessionId, Instant expires, Instant now) throws RightsStoreUnavailableException {
        String key = "s/" + hash(sessionId);
        if (get(key).isPresent()) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exp", expires.toEpochMilli());
        m.put("ended", now.toEpochMilli());
        // a conflict means another node ended it first
        tryWrite(new Write(key, 0, json(m)));
    }

    /** Whether {@link #endSession} was called for this session id, on any node. */
    public boolean isSessionEnded(String sessionId, Instant now) throws RightsStoreUnavailableException {
        return get("s/" + hash(sessionId)).isPresent();
    }

    // ---------------------------------------------------------------- internals

    private Path packageFile(String jti) {
        return packageDir.resolve(jti.substring(0, 2)).resolve(jti + ".mailsec");
    }

    private void writePackageFile(String jti, ProtectedPackage pkg) throws RightsStoreUnavailableException {
        Path f = packageFile(jti);
        try {
            Files.createDirectories(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), ".pkg", ".tmp");
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(pkg.encode());
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RightsStoreUnavailableException("rights store unavailable (write package " + jti + "): "
                    + e.getMessage(), e);
        }
    }

    private byte[] readPackageFile(String jti) throws RightsStoreUnavailableException {
        try {
            return Files.readAllBytes(packageFile(jti));
        } catch (IOException e) {
            throw new RightsStoreUnavailableException("rights store unavailable (read package " + jti + "): "
                    + e.getMessage(), e);
        }
    }

    /** The live message of a licence id: unknown, revoked and expired are the same answer for anyone. */
    private StoredMessage live(String licenceId, Instant now) throws RightsException {
        Optional<StoredMessage> sm = licenceId != null && LICENCE_ID.matcher(licenceId).matches()
                ? find(licenceId) : Optional.empty();
        if (!sm.isPresent() || !sm.get().licenceId().equals(licenceId)) {
            throw new RightsDeniedException(RightsDeniedException.Reason.UNKNOWN_MESSAGE, null, "unknown protected message");
        }
        StoredMessage m = sm.get();
        if (m.isRevoked()) {
            throw new RightsDeniedException(RightsDeniedException.Reason.REVOKED, licenceId, "the message was revoked");
        }
        if (m.expires().isPresent() && !now.isBefore(m.expires().get())) {
            throw new RightsDeniedException(RightsDeniedException.Reason.EXPIRED, licenceId, "the message has expired");
        }
        return m;
    }

    /** Wrong-passcode count and lock-out of one client for one address and message. */
    private static String lockKey(String licenceId, String addr, String client) {
        return "l/" + licenceId + "/" + hash(addr) + "/" + hash(client);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static long num0(Object o) {
        return o == null ? 0 : num(o);
    }

    private Write window(String key, Optional<StoredRecord> rec, Instant now, int limit, RateLimitedException.Scope scope)
            throws RateLimitedException {
        List<Object> kept = new ArrayList<>();
        long oldest = Long.MAX_VALUE;
        if (rec.isPresent()) {
            for (Object t : list(parse(rec.get()).get("t"))) {
                long v = num(t);
                if (v > now.toEpochMilli() - HOUR) {
                    kept.add(v);
                    oldest = Math.min(oldest, v);
                }
            }
        }
        if (kept.size() >= limit) {
            throw new RateLimitedException(scope, Instant.ofEpochMilli(oldest + HOUR));
        }
        kept.add(now.toEpochMilli());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", kept);
        return new Write(key, rec.isPresent() ? rec.get().revision() : 0, json(m));
    }

    private String newCode() {
        return String.format(Locale.ROOT, "%08d", random.nextInt(100_000_000));
    }

    private static StoredMessage message(Map<String, Object> m) {
        Set<String> rcpt = new LinkedHashSet<>();
        for (Object o : list(m.get("rcpt"))) {
            rcpt.add(str(o));
        }
        List<String> tokens = new ArrayList<>();
        for (Object o : list(m.get("rights"))) {
            tokens.add(str(o));
        }
        Revocation rev = null;
        Object r = m.get("revoked");
        if (r instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> rm = (Map<String, Object>) r;
            rev = new Revocation(Instant.ofEpochMilli(num(rm.get("at"))), str(rm.get("by")), str(rm.get("reason")));
        }
        return new StoredMessage(str(m.get("lid")), str(m.get("mid")), str(m.get("sub")), rcpt, str(m.get("tpl")),
                Rights.parseList(tokens), Instant.ofEpochMilli(num(m.get("created"))),
                m.get("exp") == null ? null : Instant.ofEpochMilli(num(m.get("exp"))), rev);
    }

    private Optional<StoredRecord> get(String key) throws RightsStoreUnavailableException {
        try {
            return storage.get(key);
        } catch (DkmUnavailableException e) {
            throw unavailable("read", e);
        }
    }

    private boolean tryWrite(Write w) throws RightsStoreUnavailableException {
        return tryWrite(List.of(w));
    }

    private boolean tryWrite(List<Write> w) throws RightsStoreUnavailableException {
        try {
            storage.write(w);
            return true;
        } catch (Storage.ConflictException e) {
            return false;
        } catch (DkmUnavailableException e) {
            throw unavailable("write", e);
        }
    }

    private static RightsStoreUnavailableException unavailable(String what, DkmUnavailableException e) {
        return new RightsStoreUnavailableException("rights store unavailable (" + what + "): " + e.getMessage(), e);
    }

    private static Map<String, Object> parse(StoredRecord r) {
        try {
            return JSONObjectUtils.parse(new String(r.value(), StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IllegalStateException("rights store record " + r.key() + " is corrupt", e);
        }
    }

    private static byte[] json(Map<String, Object> m) {
        return JSONObjectUtils.toJSONString(m).getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o instanceof Collection ? new ArrayList<>((Collection<Object>) o) : new ArrayList<>();
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static long num(Object o) {
        return o instanceof Number ? ((Number) o).longValue() : Long.parseLong(String.valueOf(o));
    }

    static String hash(String s) {
        return hex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (IOException e) {
            // closing on the way out; nothing was pending
        }
    }

    @Override
    public String toString() {
        return "RightsStore[" + storage.getClass().getSimpleName() + "]";
    }
}
