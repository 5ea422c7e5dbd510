package dev.mailsec.dkm.store;

import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one compare-and-set retry loop over a {@link Storage} (the key manager's {@code
 * RecordRepository} and the rights store's {@code RightsRecords} both write through it): an attempt
 * reads what it needs fresh and stages writes that expect exactly the revisions it read; the batch
 * is written all or nothing; when another writer changed one of those records in between ({@link
 * Storage.ConflictException}), the loop backs off and runs the attempt again on fresh reads, at
 * most {@code attempts} times in all, then gives up. An attempt that stages nothing ends the loop
 * at once.
 *
 * <p>(The PostgreSQL backend's audit append has a loop of its own: it is a race for the next
 * sequence number of the audit log inside {@code Storage.appendAudit}, not a record write.)
 *
 * @param <U> what the writer, the back-off and giving up throw (the caller's "unavailable")
 */
public final class CompareAndSet<U extends Exception> {

    /** Applies a batch all or nothing, as {@link Storage#write} does. */
    public interface Writer<U extends Exception> {
        void write(List<Write> writes) throws Storage.ConflictException, U;
    }

    /**
     * One attempt of a read-modify-write: reads fresh, adds the writes to apply to {@code writes}
     * (none: nothing to write) and returns the outcome.
     */
    public interface Attempt<R, X extends Exception, U extends Exception> {
        R run(int attempt, List<Write> writes) throws X, U;
    }

    /** The pause after a lost attempt ({@code attempt} counts from 0). */
    public interface Backoff<U extends Exception> {
        void pause(int attempt, String what) throws U;
    }

    private final Writer<U> writer;
    private final int attempts;
    private final Backoff<? extends U> backoff;
    private final Function<String, ? extends U> giveUp;

    /**
     * @param attempts how many attempts in all before giving up (at least 1)
     * @param giveUp the exception thrown when the last attempt lost too, given the {@code what} of
     *     {@link #run}
     */
    public CompareAndSet(
            Writer<U> writer,
            int attempts,
            Backoff<? extends U> backoff,
            Function<String, ? extends U> giveUp) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts: at least 1, got " + attempts);
        }
        this.writer = writer;
        this.attempts = attempts;
        this.backoff = backoff;
        this.giveUp = giveUp;
    }

    /** No pause between attempts. */
    public static <U extends Exception> Backoff<U> noPause() {
        return (attempt, what) -> {};
    }

    /**
     * Runs {@code body} until its staged writes are applied without conflict and returns what the
     * successful attempt returned.
     *
     * @param what names the change for the back-off and for giving up (e.g. the record's key)
     */
    public <R, X extends Exception> R run(String what, Attempt<R, X, U> body) throws X, U {
        for (int attempt = 0; ; attempt++) {
            List<Write> writes = new ArrayList<>();
            R result = body.run(attempt, writes);
            if (writes.isEmpty()) {
                return result;
            }
            try {
                writer.write(writes);
                return result;
            } catch (Storage.ConflictException e) {
                // another writer got in between: start again from fresh reads
            }
            if (attempt + 1 >= attempts) {
                throw giveUp.apply(what);
            }
            backoff.pause(attempt, what);
        }
    }
}
