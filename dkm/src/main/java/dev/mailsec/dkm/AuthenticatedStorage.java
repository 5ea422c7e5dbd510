package dev.mailsec.dkm;

import dev.mailsec.dkm.RecordAuthenticator.Flavor;
import dev.mailsec.dkm.internal.AuditChain;
import dev.mailsec.dkm.internal.Codec;
import dev.mailsec.dkm.internal.Records;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoreCorruptException;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key manager's view of its {@link Storage}: every record it writes gets a MAC trailer ({@link
 * RecordAuthenticator}) and every record it reads is checked before {@code KeyManager} decodes it.
 *
 * <p>Which MAC a record must carry: {@code meta}, {@code identity/*} and {@code group/*} (policy,
 * admin flags, membership, version states of keysets) the {@link Flavor#ROOT} MAC, which only a
 * session holding the root key can make or check; {@code secret/*} the {@link Flavor#GROUP} MAC of
 * its group, which the group's member services check on every read; {@code grant/*} the ROOT MAC,
 * or the WRITER MAC of its requester for the states a requester may write (pending, expired). A
 * session checks every MAC it holds the key for; what it cannot check (a service without the root
 * key reading a group record) passes, and is checked by every root-holding session and by {@code
 * audit verify}.
 *
 * <p>Rollback: each write of a key increments the record's MAC'd write counter, and each write
 * batch is committed to the audit log ({@value #COMMIT_ACTION} record listing {@code key#counter}).
 * {@link #loadCommitments()} reads those commitments (at session open); a record older than its
 * latest commitment, or older than one this session has read, is refused.
 *
 * <p>Stores written before records were MACed carry no trailers: they are read unchecked until an
 * admin session with the root key opens them, which adds the MACs and records {@value
 * #MIGRATE_ACTION} in the audit log. From then on (the {@code meta} record carries a MAC) a record
 * without one is refused.
 */
final class AuthenticatedStorage {
    static final String COMMIT_ACTION = "records.write";
    static final String MIGRATE_ACTION = "records.authenticate";

    /** The keys the session holds; null answers mean "not held". */
    interface Keys {
        /**
         * The root audit key (null without the root key). Read from raw storage: it authenticates
         * meta.
         */
        byte[] rootAuditKey() throws DkmException;

        /**
         * A version of a group's keyset (null when this session is neither a member nor a root
         * holder).
         */
        byte[] groupKey(String group, int version) throws DkmException;

        /** The keyset version new records of the group are MAC'd under (the group's newest). */
        int groupWriteVersion(String group) throws DkmException;

        /**
         * The audit key of an identity (null when this session can get neither it nor the root
         * key).
         */
        byte[] auditKey(String identity) throws DkmException;

        /** The identity of this session. */
        String self();

        /** Appends the commitment of a write batch to the audit log. */
        void commit(String keysAndCounters) throws DkmException;
    }

    private final Storage raw;
    private Keys keys;
    private final RecordMacKeys macKeys = new RecordMacKeys();
    private final Map<String, Long> seen = new ConcurrentHashMap<>();

    /**
     * Revision and write counter of the records last read or written, so a write needs no extra
     * read.
     */
    private final Map<String, long[]> lastRead = new ConcurrentHashMap<>();

    private volatile boolean authenticatedStore;
    private volatile boolean migrating;

    AuthenticatedStorage(Storage raw) {
        this.raw = raw;
    }

    void keys(Keys keys) {
        this.keys = keys;
        macKeys.keys(keys);
    }

    Storage raw() {
        return raw;
    }

    /**
     * True once the store's meta record carries a MAC (records without one are refused from then
     * on).
     */
    boolean authenticatedStore() throws DkmException {
        if (!authenticatedStore) {
            Optional<StoredRecord> meta = rawGet(Records.META);
            if (meta.isPresent() && opened(meta.get()) != null) {
                authenticatedStore = true;
            }
        }
        return authenticatedStore;
    }

    Optional<StoredRecord> get(String key) throws DkmException {
        Optional<StoredRecord> r = rawGet(key);
        return r.isPresent() ? Optional.of(check(r.get())) : r;
    }

    List<StoredRecord> list(String prefix) throws DkmException {
        List<StoredRecord> out = new ArrayList<>();
        for (StoredRecord r : rawList(prefix)) {
            out.add(check(r));
        }
        return out;
    }

    /** Writes with MAC trailers and commits the batch to the audit log. */
    void write(List<Write> writes) throws Storage.ConflictException, DkmException {
        if (writes.isEmpty()) {
            return;
        }
        List<Write> sealed = new ArrayList<>(writes.size());
        StringBuilder commit = new StringBuilder();
        Map<String, Long> counters = new HashMap<>();
        for (Write w : writes) {
            long counter = 1;
            if (w.expectedRevision() > 0) {
                long[] known = lastRead.get(w.key());
                if (known != null && known[0] == w.expectedRevision()) {
                    counter = known[1] + 1;
                } else {
                    Optional<StoredRecord> cur = rawGet(w.key());
                    RecordAuthenticator.Opened o = cur.isPresent() ? opened(cur.get()) : null;
                    // a record without trailer (an old store being migrated) starts at its revision
                    counter =
                            (o == null
                                            ? w.expectedRevision()
                                            : Math.max(o.counter, w.expectedRevision()))
                                    + 1;
                }
            }
            byte[] value = seal(w.key(), w.value(), counter);
            if (value == null) {
                sealed.add(w);
                continue;
            }
            sealed.add(new Write(w.key(), w.expectedRevision(), value));
            counters.put(w.key(), counter);
            commit.append(commit.length() == 0 ? "" : " ")
                    .append(w.key())
                    .append('#')
                    .append(counter);
        }
        raw.write(sealed);
        for (Write w : writes) {
            Long c = counters.get(w.key());
            if (c != null) {
                seen.merge(w.key(), c, Math::max);
                lastRead.put(w.key(), new long[] {w.expectedRevision() + 1, c});
            }
        }
        if (commit.length() > 0 && !migrating) {
            keys.commit(commit.toString());
        }
    }

    /**
     * Adds MACs to every record of a store written before records were MACed, meta last (so a
     * migration that stops half way is finished by the next admin session). Needs the root key.
     */
    int migrate() throws DkmException {
        migrating = true;
        try {
            int n = 0;
            StoredRecord meta = null;
            for (StoredRecord r : rawList("")) {
                if (Records.META.equals(r.key())) {
                    meta = r;
                } else if (opened(r) == null) {
                    writeOne(r);
                    n++;
                }
            }
            if (meta != null && opened(meta) == null) {
                writeOne(meta);
                n++;
            }
            authenticatedStore = true;
            return n;
        } finally {
            migrating = false;
        }
    }

    private void writeOne(StoredRecord r) throws DkmException {
        try {
            write(List.of(new Write(r.key(), r.revision(), r.value())));
        } catch (Storage.ConflictException e) {
            throw new DkmUnavailableException(
                    "record " + r.key() + " changed while its MAC was added; run again", e);
        }
    }

    /**
     * Reads the audit log's write commitments and checks every record against them. Returns the
     * problems found (empty when none); later reads refuse records older than a commitment.
     */
    List<String> loadCommitments() throws DkmException {
        Map<String, long[]> committed = new HashMap<>();
        List<String> lines = raw.readAudit();
        for (String line : lines) {
            if (!line.contains("\t" + COMMIT_ACTION + "\t")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != AuditChain.FIELDS
                    || !COMMIT_ACTION.equals(f[3])
                    || !"ok".equals(f[6])) {
                continue;
            }
            long seq = AuditChain.seq(line);
            for (String token : f[7].split(" ")) {
                int hash = token.lastIndexOf('#');
                if (hash <= 0) {
                    continue;
                }
                try {
                    long c = Long.parseLong(token.substring(hash + 1));
                    String key = token.substring(0, hash).replace("%25", "%");
                    long[] prev = committed.get(key);
                    if (prev == null || prev[0] < c) {
                        committed.put(key, new long[] {c, seq});
                    }
                } catch (NumberFormatException e) {
                    // not a commitment token
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : committed.entrySet()) {
            seen.merge(e.getKey(), e.getValue()[0], Math::max);
            Optional<StoredRecord> r = rawGet(e.getKey());
            RecordAuthenticator.Opened o = r.isPresent() ? opened(r.get()) : null;
            if (!r.isPresent()) {
                problems.add(
                        "record "
                                + e.getKey()
                                + " was removed (audit record #"
                                + e.getValue()[1]
                                + " commits its write "
                                + e.getValue()[0]
                                + ")");
            } else if (o != null && o.counter < e.getValue()[0]) {
                problems.add(
                        rolledBack(
                                e.getKey(),
                                o.counter,
                                e.getValue()[0],
                                "audit record #" + e.getValue()[1]));
            }
        }
        return problems;
    }

    /** Checks every record of the store; returns the problems found (empty when none). */
    List<String> checkAll() throws DkmException {
        List<String> problems = new ArrayList<>();
        for (StoredRecord r : rawList("")) {
            try {
                check(r);
            } catch (DkmIntegrityException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    private static String rolledBack(String key, long has, long expected, String where) {
        return "record "
                + key
                + " was rolled back: the store holds its write "
                + has
                + ", "
                + where
                + " has write "
                + expected
                + " (restored from an older copy?)";
    }

    private byte[] seal(String key, byte[] body, long counter) throws DkmException {
        Flavor flavor;
        String keyName = null;
        int version = 0;
        byte[] macKey;
        if (key.startsWith("secret/")) {
            flavor = Flavor.GROUP;
            keyName = groupOf(key, body);
            version = keys.groupWriteVersion(keyName);
            macKey = macKeys.group(keyName, version);
            if (macKey == null) {
                throw new DkmAccessDeniedException(
                        "'" + keys.self() + "' holds no key of group " + keyName);
            }
        } else if (macKeys.root() != null) {
            flavor = Flavor.ROOT;
            macKey = macKeys.root();
        } else if (key.startsWith("grant/")) {
            flavor = Flavor.WRITER;
            keyName = keys.self();
            macKey = macKeys.writer(keyName);
        } else if (!authenticatedStore()) {
            return null; // an old store, not migrated yet: written as before, MAC'd by the
            // migration
        } else {
            throw new DkmAccessDeniedException(
                    "changing " + key + " needs the root key (rootKey= in the configuration)");
        }
        return RecordAuthenticator.seal(macKey, key, flavor, keyName, version, counter, body);
    }

    private StoredRecord check(StoredRecord r) throws DkmException {
        RecordAuthenticator.Opened o = opened(r);
        if (o == null) {
            if (authenticatedStore() && !migrating) {
                throw new DkmIntegrityException(
                        "record "
                                + r.key()
                                + " carries no MAC: written around DKM"
                                + " (every record of this store is MAC'd)");
            }
            return r;
        }
        String key = r.key();
        boolean checked;
        switch (o.flavor) {
            case ROOT:
                byte[] rk = macKeys.root();
                checked = rk != null;
                if (checked && !RecordAuthenticator.verify(rk, key, o)) {
                    throw tampered(key);
                }
                break;
            case GROUP:
                if (!key.startsWith("secret/")
                        || o.keyName == null
                        || !o.keyName.equals(groupOf(key, o.body))) {
                    throw new DkmIntegrityException(
                            "record " + key + " carries a group MAC of the wrong group");
                }
                byte[] gk = macKeys.group(o.keyName, o.keyVersion);
                checked = gk != null;
                if (checked && !RecordAuthenticator.verify(gk, key, o)) {
                    throw tampered(key);
                }
                break;
            default:
                if (!key.startsWith("grant/")) {
                    throw new DkmIntegrityException(
                            "record " + key + " carries an identity's MAC where the root's is due");
                }
                checkRequesterWrite(key, o);
                byte[] wk = o.keyName == null ? null : macKeys.writer(o.keyName);
                checked = wk != null;
                if (checked && !RecordAuthenticator.verify(wk, key, o)) {
                    throw tampered(key);
                }
        }
        if (key.startsWith("secret/") && !o.flavor.equals(Flavor.GROUP)) {
            throw new DkmIntegrityException("record " + key + " carries no group MAC");
        }
        Long before = seen.get(key);
        if (before != null && o.counter < before) {
            throw new DkmIntegrityException(
                    rolledBack(key, o.counter, before, "this session has seen"));
        }
        if (checked) {
            seen.merge(key, o.counter, Math::max);
        }
        lastRead.put(key, new long[] {r.revision(), o.counter});
        return new StoredRecord(key, r.revision(), o.body);
    }

    /**
     * A requester may write its own request and expire its own grant, nothing else (no approval).
     */
    private static void checkRequesterWrite(String key, RecordAuthenticator.Opened o)
            throws DkmException {
        try {
            Records.Grant g = Records.Grant.decode(o.body);
            boolean own = g.requester != null && g.requester.equals(o.keyName);
            boolean mayWrite =
                    AccessRequest.Status.PENDING.name().equals(g.state)
                            ? g.approvals.isEmpty() && g.sealedDataKeys == null
                            : AccessRequest.Status.EXPIRED.name().equals(g.state)
                                    && g.sealedDataKeys == null;
            if (!own || !mayWrite) {
                throw new DkmIntegrityException(
                        "record "
                                + key
                                + " (state "
                                + g.state
                                + ") is MAC'd by '"
                                + o.keyName
                                + "', who may not write it");
            }
        } catch (Codec.MalformedException e) {
            throw new DkmIntegrityException(
                    "record " + key + " is malformed: " + e.getMessage(), e);
        }
    }

    private static DkmIntegrityException tampered(String key) {
        return new DkmIntegrityException(
                "record " + key + " fails its MAC check (changed outside DKM)");
    }

    private static String groupOf(String key, byte[] body) throws DkmIntegrityException {
        try {
            return Records.Secret.decode(body).group;
        } catch (Codec.MalformedException e) {
            throw new DkmIntegrityException(
                    "record " + key + " is malformed: " + e.getMessage(), e);
        }
    }

    /** The trailer of a stored record, or null (none). */
    static RecordAuthenticator.Opened opened(StoredRecord r) throws DkmIntegrityException {
        try {
            return RecordAuthenticator.open(r.value());
        } catch (RecordAuthenticator.BadTrailerException e) {
            throw new DkmIntegrityException("record " + r.key() + ": " + e.getMessage(), e);
        }
    }

    /** The body of a stored record without checking its MAC (to bootstrap the root audit key). */
    static byte[] body(StoredRecord r) throws DkmIntegrityException {
        RecordAuthenticator.Opened o = opened(r);
        return o == null ? r.value() : o.body;
    }

    Optional<StoredRecord> rawGet(String key) throws DkmException {
        try {
            return raw.get(key);
        } catch (StoreCorruptException e) {
            throw new DkmIntegrityException(e.getMessage(), e);
        }
    }

    private List<StoredRecord> rawList(String prefix) throws DkmException {
        try {
            return raw.list(prefix);
        } catch (StoreCorruptException e) {
            throw new DkmIntegrityException(e.getMessage(), e);
        }
    }

    void clearKeys() {
        macKeys.clear();
    }
}
