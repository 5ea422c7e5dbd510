package dev.mailsec.rights;

import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import dev.mailsec.dkm.store.CompareAndSet;
import dev.mailsec.shaded.bc.util.encoders.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rights store's typed records over DKM's {@link Storage}, and the package's one way to change
 * them ({@link #update}, through DKM's one compare-and-set retry loop, {@link CompareAndSet}): a
 * {@link Transaction} reads records through a {@link Tx}, which remembers each revision it saw, and
 * stages writes that expect exactly those revisions (0, "must not exist", for a key it did not find
 * or did not read). When another writer got in between, the whole transaction runs again on fresh
 * reads, at most {@link #RETRIES} times, without a pause.
 */
final class RightsRecords implements AutoCloseable {
    static final int RETRIES = 20;

    private final Storage storage;
    private final CompareAndSet<RightsStoreUnavailableException> loop;

    RightsRecords(Storage storage) {
        this.storage = storage;
        this.loop =
                new CompareAndSet<>(
                        writes -> {
                            try {
                                storage.write(writes);
                            } catch (DkmUnavailableException e) {
                                throw unavailable("write", e);
                            }
                        },
                        RETRIES,
                        CompareAndSet.noPause(),
                        what ->
                                new RightsStoreUnavailableException(
                                        what + ": too much concurrent writing", null));
    }

    /**
     * One attempt of a read-modify-write: reads and stages writes through {@code tx}, returns the
     * outcome.
     */
    interface Transaction<R, X extends Exception> {
        R run(Tx tx, int attempt) throws X, RightsStoreUnavailableException;
    }

    /**
     * Runs {@code body} until its staged writes are applied without conflict (a body that stages
     * nothing ends at once), at most {@link #RETRIES} times, and returns what the successful
     * attempt returned.
     *
     * @param what for the message when writers keep colliding, e.g. {@code "revoke <jti>"}
     */
    <R, X extends Exception> R update(String what, Transaction<R, X> body)
            throws X, RightsStoreUnavailableException {
        return loop.run(what, (attempt, writes) -> body.run(new Tx(writes), attempt));
    }

    /** The reads and staged writes of one attempt. */
    final class Tx {
        private final Map<String, Long> seen = new HashMap<>();
        private final List<Write> writes;

        private Tx(List<Write> writes) {
            this.writes = writes;
        }

        /** Reads a record and remembers its revision (or its absence) for {@link #put}. */
        <T> Optional<T> read(String key, RecordCodec<T> codec)
                throws RightsStoreUnavailableException {
            Optional<StoredRecord> r = RightsRecords.this.raw(key);
            seen.put(key, r.isPresent() ? r.get().revision() : 0L);
            return r.map(x -> codec.decode(key, x.value()));
        }

        /**
         * Stages a write of {@code value} over the revision read (a key not read must not exist).
         */
        <T> void put(String key, RecordCodec<T> codec, T value) {
            putBytes(key, codec.encode(value));
        }

        void putBytes(String key, byte[] bytes) {
            writes.add(new Write(key, seen.getOrDefault(key, 0L), bytes));
        }
    }

    <T> Optional<T> get(String key, RecordCodec<T> codec) throws RightsStoreUnavailableException {
        return raw(key).map(r -> codec.decode(key, r.value()));
    }

    boolean exists(String key) throws RightsStoreUnavailableException {
        return raw(key).isPresent();
    }

    Optional<StoredRecord> raw(String key) throws RightsStoreUnavailableException {
        try {
            return storage.get(key);
        } catch (DkmUnavailableException e) {
            throw unavailable("read", e);
        }
    }

    /** Every record under {@code prefix}, in key order. */
    <T> List<T> list(String prefix, RecordCodec<T> codec, String what)
            throws RightsStoreUnavailableException {
        List<StoredRecord> recs;
        try {
            recs = storage.list(prefix);
        } catch (DkmUnavailableException e) {
            throw unavailable(what, e);
        }
        List<T> out = new ArrayList<>();
        for (StoredRecord r : recs) {
            out.add(codec.decode(r.key(), r.value()));
        }
        return out;
    }

    /** Writes a new record; false when the key exists already. */
    <T> boolean create(String key, RecordCodec<T> codec, T value, String what)
            throws RightsStoreUnavailableException {
        return createAll(List.of(new Write(key, 0, codec.encode(value))), what);
    }

    /**
     * Writes new records (expected revision 0) in one storage write: one fsync, one transaction;
     * false, and nothing written, when one of the keys exists already.
     */
    boolean createAll(List<Write> writes, String what) throws RightsStoreUnavailableException {
        try {
            storage.write(writes);
            return true;
        } catch (Storage.ConflictException e) {
            return false;
        } catch (DkmUnavailableException e) {
            throw unavailable(what, e);
        }
    }

    static RightsStoreUnavailableException unavailable(String what, Exception e) {
        return new RightsStoreUnavailableException(
                "rights store unavailable (" + what + "): " + e.getMessage(), e);
    }

    /**
     * Hex SHA-256 of a string: how addresses, clients, Message-IDs and session ids appear in keys.
     */
    static String hash(String s) {
        return hash(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Hex SHA-256 of bytes (also the content-addressed names of branding files). */
    static String hash(byte[] b) {
        try {
            return Hex.toHexString(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    String backend() {
        return storage.getClass().getSimpleName();
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (IOException e) {
            // closing on the way out; nothing was pending
        }
    }
}
