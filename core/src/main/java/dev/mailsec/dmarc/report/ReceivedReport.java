package dev.mailsec.dmarc.report;

import java.util.List;

/** What {@link ReceivedReports} reads from an incoming aggregate report. */
public final class ReceivedReport {

    /** One {@code record}: source, count and verdicts. */
    public static final class Row {
        public final String sourceIp;
        public final long count;
        public final String disposition;
        public final boolean dkimPass;
        public final boolean spfPass;
        public final String headerFrom;

        Row(
                String sourceIp,
                long count,
                String disposition,
                boolean dkimPass,
                boolean spfPass,
                String headerFrom) {
            this.sourceIp = sourceIp;
            this.count = count;
            this.disposition = disposition;
            this.dkimPass = dkimPass;
            this.spfPass = spfPass;
            this.headerFrom = headerFrom;
        }
    }

    public final String orgName;
    public final String reportId;
    public final long begin;
    public final long end;
    public final String domain;
    public final String policy;
    public final List<Row> rows;

    ReceivedReport(
            String orgName,
            String reportId,
            long begin,
            long end,
            String domain,
            String policy,
            List<Row> rows) {
        this.orgName = orgName;
        this.reportId = reportId;
        this.begin = begin;
        this.end = end;
        this.domain = domain;
        this.policy = policy;
        this.rows = List.copyOf(rows);
    }

    /** Messages in all rows (saturating). */
    public long messages() {
        long n = 0;
        for (Row r : rows) {
            n = n + r.count < n ? Long.MAX_VALUE : n + r.count;
        }
        return n;
    }
}
