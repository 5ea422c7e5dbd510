package dev.mailsec.dkm;

import dev.mailsec.dkm.RecordAuthenticator.Flavor;
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
 * audit verify}. Those rules, and making and checking the MACs, are {@link RecordMacPolicy}'s job.
 *
 * <p>Rollback ({@link WriteCounters}): each write of a key increments the record's MAC'd write
 * counter, and each write batch is committed to the audit log ({@value #COMMIT_ACTION} record
 * listing {@code key#counter}). {@link #loadCommitments()} reads those commitments (at session
 * open); a record older than its latest commitment, or older than one this session has read, is
 * refused.
 *
 * <p>Stores written before records were MACed carry no trailers: they are read unchecked until an
 * admin session with the root key opens them, which adds the MACs and records {@value
 * #MIGRATE_ACTION} in the audit log. From then on (the {@code meta} record carries a MAC) a record
 * without one is refused.
 */
final class AuthenticatedStorage {
    static final String COMMIT_ACTION = WriteCounters.COMMIT_ACTION;
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
    private final RecordMacPolicy macs = new RecordMacPolicy();
    private final WriteCounters writeCounters = new WriteCounters();

    private volatile boolean authenticatedStore;
    private volatile boolean migrating;

    AuthenticatedStorage(Storage raw) {
        this.raw = raw;
    }

    void keys(Keys keys) {
        this.keys = keys;
        macs.keys(keys);
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
                long known = writeCounters.known(w.key(), w.expectedRevision());
                if (known >= 0) {
                    counter = known + 1;
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
            byte[] value = macs.seal(w.key(), w.value(), counter);
            if (value == null) {
                if (authenticatedStore()) {
                    throw new DkmAccessDeniedException(
                            "changing "
                                    + w.key()
                                    + " needs the root key (rootKey= in the configuration)");
                }
                // an old store, not migrated yet: written as before, MAC'd by the migration
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
                writeCounters.written(w.key(), w.expectedRevision() + 1, c);
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
        return writeCounters.loadCommitments(raw.readAudit(), this::rawGet);
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
        boolean checked = macs.check(key, o);
        writeCounters.read(key, r.revision(), o.counter, checked);
        return new StoredRecord(key, r.revision(), o.body);
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
        macs.clear();
    }
}
