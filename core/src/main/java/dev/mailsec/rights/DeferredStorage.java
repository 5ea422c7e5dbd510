package dev.mailsec.rights;

import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A store that could not be reached when its process started (a PostgreSQL server that is down):
 * every use tries to open it, and once one succeeds the opened store serves every use after. While
 * it stays unreachable, a use within {@code pause} of the last failed attempt fails at once with
 * that attempt's message, so that mail threads do not queue behind one connect timeout each. A
 * store refused for its format ({@link dev.mailsec.dkm.spi.StoreFormatException}) is refused every
 * time: waiting cannot help, and the mail waits in its processor as for an outage.
 */
final class DeferredStorage implements Storage {

    /** Opens the real store. */
    interface Opener {
        Storage open() throws DkmUnavailableException;
    }

    private final Opener opener;
    private final long pauseNanos;
    private final LongSupplier nanoTime;
    private volatile Storage open;
    private boolean closed;
    private DkmUnavailableException lastFailure;
    private long lastAttempt;

    /**
     * @param firstFailure why the store could not be opened at start (reported until the next try)
     */
    DeferredStorage(
            Opener opener,
            DkmUnavailableException firstFailure,
            Duration pause,
            LongSupplier nanoTime) {
        this.opener = opener;
        this.pauseNanos = pause.toNanos();
        this.nanoTime = nanoTime;
        this.lastFailure = firstFailure;
        this.lastAttempt = nanoTime.getAsLong();
    }

    /** Whether the real store has been opened. */
    boolean isOpen() {
        return open != null;
    }

    private Storage storage() throws DkmUnavailableException {
        Storage s = open;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (closed) {
                throw new DkmUnavailableException("store closed");
            }
            if (open == null) {
                long now = nanoTime.getAsLong();
                if (lastFailure != null && now - lastAttempt < pauseNanos) {
                    throw new DkmUnavailableException(lastFailure.getMessage(), lastFailure);
                }
                lastAttempt = now;
                try {
                    open = opener.open();
                    lastFailure = null;
                } catch (DkmUnavailableException e) {
                    lastFailure = e;
                    throw e;
                }
            }
            return open;
        }
    }

    @Override
    public Optional<StoredRecord> get(String key) throws DkmUnavailableException {
        return storage().get(key);
    }

    @Override
    public List<StoredRecord> list(String prefix) throws DkmUnavailableException {
        return storage().list(prefix);
    }

    @Override
    public void write(List<Write> writes) throws ConflictException, DkmUnavailableException {
        storage().write(writes);
    }

    @Override
    public void appendAudit(AuditLineBuilder builder, boolean durable)
            throws DkmUnavailableException {
        storage().appendAudit(builder, durable);
    }

    @Override
    public Optional<String> readAuditHead() throws DkmUnavailableException {
        return storage().readAuditHead();
    }

    @Override
    public List<String> readAudit() throws DkmUnavailableException {
        return storage().readAudit();
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (open != null) {
            open.close();
        }
    }

    @Override
    public String toString() {
        Storage s = open;
        return s == null ? "DeferredStorage[not open yet]" : s.toString();
    }
}
