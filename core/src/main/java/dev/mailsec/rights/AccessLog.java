package dev.mailsec.rights;

import dev.mailsec.dkm.spi.Write;
import dev.mailsec.shaded.bc.util.encoders.Hex;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The access log in the rights store: one write-once record {@code e/<jti>/<millis>-<random>} per
 * event.
 *
 * <p>Group commit (on the file store, see the constructor): every event is durable when {@link
 * #append} returns (the portal serves a page only after its open is logged), but appenders that
 * arrive while a write is under way do not each pay for one: they queue, and when the write ends
 * one of them writes all that queued (at most {@link #MAX_BATCH}) in one storage write, one fsync
 * of the file store or one PostgreSQL transaction, while the others wait for it. Records and keys
 * are those of single writes, in the order the appenders arrived. A failed batch write fails every
 * appender of the batch; a batch refused because one key exists already (a random suffix collision)
 * is written one by one, so only that appender fails.
 */
final class AccessLog {
    /** Most events in one storage write. */
    static final int MAX_BATCH = 256;

    private final RightsRecords records;
    private final SecureRandom random;
    private final boolean groupCommit;

    /** Guards {@link #queue} and {@link #writing}; appenders wait on it. */
    private final Object lock = new Object();

    private List<Pending> queue = new ArrayList<>();
    private boolean writing;

    /**
     * @param groupCommit batch concurrent appenders into one storage write (the file store); else
     *     every event is its own write, as PostgreSQL wants it: the server already flushes the
     *     commits of concurrent transactions together, and concurrent transactions on several
     *     connections outpace one batch at a time (bench/README.md, AccessLogLoad)
     */
    AccessLog(RightsRecords records, SecureRandom random, boolean groupCommit) {
        this.records = records;
        this.random = random;
        this.groupCommit = groupCommit;
    }

    /**
     * Writes the event durably, with group commit in one storage write with the events of
     * concurrent appenders.
     */
    void append(AccessEvent event) throws RightsStoreUnavailableException {
        byte[] nonce = new byte[6];
        random.nextBytes(nonce);
        String key =
                String.format(
                        Locale.ROOT,
                        "e/%s/%020d-%s",
                        event.licenceId(),
                        event.time().toEpochMilli(),
                        Hex.toHexString(nonce));
        Write write = new Write(key, 0, AccessEvent.CODEC.encode(event));
        if (!groupCommit) {
            if (!records.createAll(List.of(write), "log an access event")) {
                throw new IllegalStateException("event key collision " + key);
            }
            return;
        }
        Pending mine = new Pending(write);
        boolean interrupted = false;
        synchronized (lock) {
            queue.add(mine);
        }
        while (true) {
            List<Pending> batch;
            synchronized (lock) {
                while (writing && !mine.done) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // the event is queued and will be written: wait for the outcome anyway
                        interrupted = true;
                    }
                }
                if (mine.done) {
                    break;
                }
                // nobody writes: this appender writes the queue's first MAX_BATCH, and goes
                // round again if its own event was not among them
                writing = true;
                batch = take();
            }
            write(batch);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        mine.outcome();
    }

    /** The queue's first {@link #MAX_BATCH} appenders (in arrival order), removed from it. */
    private List<Pending> take() {
        if (queue.size() <= MAX_BATCH) {
            List<Pending> all = queue;
            queue = new ArrayList<>();
            return all;
        }
        List<Pending> first = new ArrayList<>(queue.subList(0, MAX_BATCH));
        queue = new ArrayList<>(queue.subList(MAX_BATCH, queue.size()));
        return first;
    }

    /** Writes a batch and hands every appender in it its outcome; then the next may write. */
    private void write(List<Pending> batch) {
        List<Write> writes = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            writes.add(p.write);
        }
        try {
            if (!records.createAll(writes, "log an access event")) {
                // a key exists already: only a random collision can do that; one by one, so
                // only its appender fails
                for (Pending p : batch) {
                    try {
                        if (!records.createAll(List.of(p.write), "log an access event")) {
                            p.failure =
                                    new IllegalStateException(
                                            "event key collision " + p.write.key());
                        }
                    } catch (RightsStoreUnavailableException | RuntimeException e) {
                        p.failure = e;
                    }
                }
            }
        } catch (RightsStoreUnavailableException | RuntimeException | Error e) {
            for (Pending p : batch) {
                p.failure = e;
            }
        } finally {
            synchronized (lock) {
                for (Pending p : batch) {
                    p.done = true;
                }
                writing = false;
                lock.notifyAll();
            }
        }
    }

    /** The number of appenders waiting for the next batch (tests). */
    int queued() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /** The events of these licence ids, oldest first. */
    List<AccessEvent> of(Collection<String> licenceIds) throws RightsStoreUnavailableException {
        List<AccessEvent> out = new ArrayList<>();
        for (String id : licenceIds) {
            out.addAll(records.list("e/" + id + "/", AccessEvent.CODEC, "read the access log"));
        }
        out.sort(Comparator.comparing(AccessEvent::time));
        return out;
    }

    /** One appender's write and, once {@link #done}, its outcome. */
    private static final class Pending {
        final Write write;

        /**
         * Set, like {@link #failure}, by the batch's writer before {@link #done} under the lock.
         */
        boolean done;

        Throwable failure;

        Pending(Write write) {
            this.write = write;
        }

        /**
         * Returns if the event is written; else throws, for this appender, what the write threw.
         */
        void outcome() throws RightsStoreUnavailableException {
            if (failure == null) {
                return;
            }
            if (failure instanceof RightsStoreUnavailableException) {
                // a fresh exception per appender, with the batch's cause
                throw new RightsStoreUnavailableException(failure.getMessage(), failure);
            }
            if (failure instanceof Error) {
                throw new IllegalStateException("access log write failed: " + failure, failure);
            }
            throw new IllegalStateException(failure.getMessage(), failure);
        }
    }
}
