package dev.mailsec.tls.report;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The summary {@code mailsec tls reports} prints: per policy domain and policy type, the sessions
 * that succeeded and failed in all the reports read, and the failures by result type.
 */
public final class TlsReportSummary {

    private TlsReportSummary() {}

    /** One block per domain and policy type, sorted; reporters listed under each. */
    public static String format(List<ReceivedTlsReport> reports) {
        Map<String, long[]> totals = new TreeMap<>();
        Map<String, Map<String, Long>> failures = new TreeMap<>();
        Map<String, Set<String>> reporters = new TreeMap<>();
        for (ReceivedTlsReport r : reports) {
            for (ReceivedTlsReport.Policy p : r.policies) {
                String key = p.domain + " (" + p.type + ")";
                long[] t = totals.computeIfAbsent(key, k -> new long[2]);
                t[0] = saturated(t[0], p.successes);
                t[1] = saturated(t[1], p.failures);
                Map<String, Long> byType = failures.computeIfAbsent(key, k -> new TreeMap<>());
                p.failuresByType.forEach(
                        (type, n) -> byType.merge(type, n, TlsReportSummary::saturated));
                reporters.computeIfAbsent(key, k -> new TreeSet<>()).add(r.organization);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(reports.size()).append(reports.size() == 1 ? " report\n" : " reports\n");
        totals.forEach(
                (key, t) -> {
                    out.append(key)
                            .append(": ")
                            .append(t[0])
                            .append(" successful, ")
                            .append(t[1])
                            .append(" failed sessions; reported by ")
                            .append(String.join(", ", reporters.get(key)))
                            .append('\n');
                    failures.get(key)
                            .forEach(
                                    (type, n) ->
                                            out.append("  ")
                                                    .append(type)
                                                    .append(": ")
                                                    .append(n)
                                                    .append('\n'));
                });
        return out.toString();
    }

    private static long saturated(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
