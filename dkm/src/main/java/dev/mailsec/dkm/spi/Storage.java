package dev.mailsec.dkm.spi;

import dev.mailsec.dkm.DkmUnavailableException;
import java.io.Closeable;
import java.util.List;
import java.util.Optional;

/**
 * Where the key manager keeps its records. Backends store opaque, already-encrypted bytes under
 * string keys, each with a revision that starts at 1 and grows by one per write (optimistic
 * concurrency), plus an append-only audit log. Both backends (file, PostgreSQL) pass the same
 * contract test.
 */
public interface Storage extends Closeable {

    Optional<StoredRecord> get(String key) throws DkmUnavailableException;

    /** Every record whose key starts with {@code prefix}, in key order. */
    List<StoredRecord> list(String prefix) throws DkmUnavailableException;

    /**
     * Applies the writes if every expected revision matches (0 = the key must not exist yet). All
     * revisions are checked before anything is written; on a mismatch nothing is written and {@link
     * ConflictException} is thrown. Each record is replaced atomically: a crash leaves every record
     * either old or new, never torn.
     */
    void write(List<Write> writes) throws ConflictException, DkmUnavailableException;

    /**
     * Appends one audit line. The backend serialises appenders (across threads, processes and
     * nodes), reads the current last line and passes it (null when the log is empty) to {@code
     * builder}, then appends the line the builder returns. A {@code durable} line is on stable
     * storage when this returns; any other line survives the death of the calling process but may
     * be lost with the machine (used for successful reads, the hot path of every mail).
     */
    void appendAudit(AuditLineBuilder builder, boolean durable) throws DkmUnavailableException;

    /**
     * The head checkpoint: what the builder's {@code head} made of the last appended line, replaced
     * by every {@link #appendAudit} in the same atomic write or transaction as the line itself
     * (empty when nothing was appended since the store had checkpoints). It lets a verifier notice
     * that the log's last records were removed.
     */
    Optional<String> readAuditHead() throws DkmUnavailableException;

    /**
     * Whether concurrent writers gain by sharing one write (group commit): true where each write
     * forces files of its own (the file store), false where the backend already groups concurrent
     * commits (PostgreSQL), where batching measured slower.
     */
    default boolean gainsFromGroupCommit() {
        return false;
    }

    /**
     * All audit lines, oldest first (as stored: order and content are whatever the medium holds).
     */
    List<String> readAudit() throws DkmUnavailableException;

    /** Builds the next audit line from the last one. */
    interface AuditLineBuilder {
        String next(String lastLine);

        /**
         * The head checkpoint to store with {@code line} (the key manager's is MACed); by default
         * the line.
         */
        default String head(String line) {
            return line;
        }
    }

    /** Another writer changed a record between our read and our write. */
    final class ConflictException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConflictException(String key) {
            super("record changed concurrently: " + key);
        }
    }
}
