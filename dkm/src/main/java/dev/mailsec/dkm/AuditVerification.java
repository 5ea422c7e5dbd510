package dev.mailsec.dkm;

/** Outcome of checking the audit log's hash chain, MACs and head checkpoint. */
public final class AuditVerification {
    private final int recordsChecked;
    private final long firstBadRecord;
    private final String problem;
    private final long headSequence;
    private final String headHash;
    private final String note;

    AuditVerification(int recordsChecked, long firstBadRecord, String problem) {
        this(recordsChecked, firstBadRecord, problem, 0, null, null);
    }

    AuditVerification(
            int recordsChecked,
            long firstBadRecord,
            String problem,
            long headSequence,
            String headHash,
            String note) {
        this.recordsChecked = recordsChecked;
        this.firstBadRecord = firstBadRecord;
        this.problem = problem;
        this.headSequence = headSequence;
        this.headHash = headHash;
        this.note = note;
    }

    public boolean intact() {
        return problem == null;
    }

    public int recordsChecked() {
        return recordsChecked;
    }

    /** Position (1-based) of the first record that fails; 0 when intact. */
    public long firstBadRecord() {
        return firstBadRecord;
    }

    /** What is wrong with the first bad record; null when intact. */
    public String problem() {
        return problem;
    }

    /** Sequence number of the log's last record when it was checked (0 for an empty log). */
    public long headSequence() {
        return headSequence;
    }

    /** SHA-256 (hex) of the last record's body, null for an empty log. */
    public String headHash() {
        return headHash;
    }

    /**
     * {@code SEQ:HASH} of the last record: note it outside the host; a later {@code --expect-head}
     * with it detects a rollback of the log together with its checkpoint. Null for an empty log.
     */
    public String head() {
        return headHash == null ? null : headSequence + ":" + headHash;
    }

    /**
     * Something an operator should know that does not break the log (e.g. no checkpoint yet); or
     * null.
     */
    public String note() {
        return note;
    }

    @Override
    public String toString() {
        return intact()
                ? "audit log intact: "
                        + recordsChecked
                        + " records"
                        + (head() == null ? "" : ", head " + head())
                        + (note == null ? "" : " (" + note + ")")
                : "audit log broken at record " + firstBadRecord + ": " + problem;
    }
}
