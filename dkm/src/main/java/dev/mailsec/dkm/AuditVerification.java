package dev.mailsec.dkm;

/** Outcome of checking the audit log's hash chain and MACs. */
public final class AuditVerification {
  private final int recordsChecked;
  private final long firstBadRecord;
  private final String problem;

  AuditVerification(int recordsChecked, long firstBadRecord, String problem) {
    this.recordsChecked = recordsChecked;
    this.firstBadRecord = firstBadRecord;
    this.problem = problem;
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

  @Override
  public String toString() {
    return intact() ? "audit log intact: " + recordsChecked + " records"
        : "audit log broken at record " + firstBadRecord + ": " + problem;
  }
}
