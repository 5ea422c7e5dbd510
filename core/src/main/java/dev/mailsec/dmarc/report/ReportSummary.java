package dev.mailsec.dmarc.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text {@code mailsec dmarc summary} prints: per report, the messages of each source IP and how
 * they fared (DMARC passes when the DKIM or the SPF verdict is an aligned pass), then totals.
 */
public final class ReportSummary {

    private ReportSummary() {}

    /** One block per report, then a total line. */
    public static String format(List<ReceivedReport> reports) {
        StringBuilder out = new StringBuilder();
        long total = 0;
        long pass = 0;
        for (ReceivedReport r : reports) {
            out.append("report ")
                    .append(r.reportId)
                    .append(" from ")
                    .append(r.orgName)
                    .append(" for ")
                    .append(r.domain)
                    .append(" (p=")
                    .append(r.policy)
                    .append("), ")
                    .append(time(r.begin))
                    .append(" .. ")
                    .append(time(r.end))
                    .append('\n');
            out.append(
                    String.format(
                            "  %-39s %9s %9s %9s %11s %11s %9s%n",
                            "source ip",
                            "messages",
                            "dkim pass",
                            "spf pass",
                            "dmarc fail",
                            "quarantined",
                            "rejected"));
            Map<String, long[]> bySource = new TreeMap<>();
            for (ReceivedReport.Row row : r.rows) {
                long[] c = bySource.computeIfAbsent(row.sourceIp, k -> new long[6]);
                c[0] += row.count;
                c[1] += row.dkimPass ? row.count : 0;
                c[2] += row.spfPass ? row.count : 0;
                c[3] += row.dkimPass || row.spfPass ? 0 : row.count;
                c[4] += "quarantine".equals(row.disposition) ? row.count : 0;
                c[5] += "reject".equals(row.disposition) ? row.count : 0;
            }
            for (Map.Entry<String, long[]> e : bySource.entrySet()) {
                long[] c = e.getValue();
                out.append(
                        String.format(
                                "  %-39s %9d %9d %9d %11d %11d %9d%n",
                                e.getKey(), c[0], c[1], c[2], c[3], c[4], c[5]));
                total += c[0];
                pass += c[0] - c[3];
            }
        }
        out.append("total: ")
                .append(reports.size())
                .append(" reports, ")
                .append(total)
                .append(" messages, ")
                .append(pass)
                .append(" DMARC pass, ")
                .append(total - pass)
                .append(" fail\n");
        return out.toString();
    }

    private static String time(long epochSeconds) {
        try {
            return Instant.ofEpochSecond(epochSeconds).toString();
        } catch (RuntimeException e) {
            return Long.toString(epochSeconds);
        }
    }
}
