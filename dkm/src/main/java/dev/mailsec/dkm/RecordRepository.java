package dev.mailsec.dkm;

import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import dev.mailsec.dkm.store.CompareAndSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The one way the key manager reads and writes its records: typed loads over {@link
 * AuthenticatedStorage} and {@link #update}, which runs the one compare-and-set retry loop ({@link
 * CompareAndSet}: read, change, write if the revision is still the one read, else back off and
 * start again).
 */
final class RecordRepository {
    static final int MAX_RETRIES = 20;

    /**
     * A change to a record, made in place on a freshly read copy; throwing aborts without a write.
     */
    interface Mutation<T, R> {
        R apply(T value) throws DkmException;
    }

    /** A record as read, with the revision a write must expect. */
    static final class Loaded<T> {
        final String key;
        final long revision;
        final T value;

        Loaded(String key, long revision, T value) {
            this.key = key;
            this.revision = revision;
            this.value = value;
        }
    }

    private final AuthenticatedStorage storage;
    private final CompareAndSet<DkmException> loop;

    RecordRepository(AuthenticatedStorage storage) {
        this(storage, Backoff.RANDOM);
    }

    RecordRepository(AuthenticatedStorage storage, Backoff backoff) {
        this.storage = storage;
        this.loop =
                new CompareAndSet<>(
                        storage::write,
                        MAX_RETRIES + 1,
                        backoff::pause,
                        key ->
                                new DkmUnavailableException(
                                        "gave up after "
                                                + MAX_RETRIES
                                                + " concurrent changes of "
                                                + key));
    }

    AuthenticatedStorage storage() {
        return storage;
    }

    <T> Optional<Loaded<T>> find(RecordType<T> type, String name) throws DkmException {
        String key = type.key(name);
        Optional<StoredRecord> r = key == null ? Optional.<StoredRecord>empty() : storage.get(key);
        if (!r.isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new Loaded<>(r.get().key(), r.get().revision(), type.decode(r.get())));
    }

    <T> Loaded<T> load(RecordType<T> type, String name) throws DkmException {
        Optional<Loaded<T>> r = find(type, name);
        if (!r.isPresent()) {
            throw type.notFound(name);
        }
        return r.get();
    }

    <T> T get(RecordType<T> type, String name) throws DkmException {
        return load(type, name).value;
    }

    boolean exists(RecordType<?> type, String name) throws DkmException {
        String key = type.key(name);
        return key != null && storage.get(key).isPresent();
    }

    /** Every record of a type (checked), in key order. */
    <T> List<Loaded<T>> list(RecordType<T> type) throws DkmException {
        List<Loaded<T>> out = new ArrayList<>();
        for (StoredRecord r : storage.list(type.prefix)) {
            out.add(new Loaded<>(r.key(), r.revision(), type.decode(r)));
        }
        return out;
    }

    /** Writes a new record; false when one of that name exists already. */
    <T> boolean insert(RecordType<T> type, String name, T value) throws DkmException {
        try {
            storage.write(List.of(new Write(type.key(name), 0, type.encode(value))));
            return true;
        } catch (Storage.ConflictException e) {
            return false;
        }
    }

    /** Writes one record over the revision read; false when it changed meanwhile. */
    <T> boolean replace(RecordType<T> type, Loaded<T> read) throws DkmException {
        try {
            storage.write(List.of(write(type, read)));
            return true;
        } catch (Storage.ConflictException e) {
            return false;
        }
    }

    /** Writes a batch all or nothing. */
    void writeAll(List<Write> writes) throws Storage.ConflictException, DkmException {
        storage.write(writes);
    }

    <T> Write write(RecordType<T> type, Loaded<T> read) throws DkmException {
        return new Write(read.key, read.revision, type.encode(read.value));
    }

    /**
     * Reads the record, applies the mutation and writes it back; when another writer changed the
     * record in between, backs off and starts again from a fresh read. Returns the result of the
     * attempt that was written.
     */
    <T, R> R update(RecordType<T> type, String name, Mutation<T, R> mutation) throws DkmException {
        return update(type, name, mutation, r -> true, true).orElse(null);
    }

    /**
     * As {@link #update(RecordType, String, Mutation)}, but a record that does not exist is skipped
     * (empty), and a mutation whose result {@code changed} rejects writes nothing.
     */
    <T, R> Optional<R> updateIfPresent(
            RecordType<T> type, String name, Mutation<T, R> mutation, Predicate<R> changed)
            throws DkmException {
        return update(type, name, mutation, changed, false);
    }

    private <T, R> Optional<R> update(
            RecordType<T> type,
            String name,
            Mutation<T, R> mutation,
            Predicate<R> changed,
            boolean mustExist)
            throws DkmException {
        return loop.run(
                type.key(name),
                (attempt, writes) -> {
                    Optional<Loaded<T>> found = find(type, name);
                    if (!found.isPresent()) {
                        if (mustExist) {
                            throw type.notFound(name);
                        }
                        return Optional.empty();
                    }
                    Loaded<T> read = found.get();
                    R result = mutation.apply(read.value);
                    if (changed.test(result)) {
                        writes.add(write(type, read));
                    }
                    return Optional.ofNullable(result);
                });
    }

    /** How long to wait before the next attempt: random, growing with the attempts. */
    interface Backoff {
        Backoff RANDOM =
                (attempt, key) -> {
                    try {
                        Thread.sleep(1 + (long) (Math.random() * (2 << Math.min(attempt, 6))));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new DkmUnavailableException(
                                "interrupted while retrying a write of " + key);
                    }
                };

        void pause(int attempt, String key) throws DkmUnavailableException;
    }
}
