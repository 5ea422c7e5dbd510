package dev.mailsec.tls.report;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an RFC 8460 section 4 report: metadata, then one {@code policies} entry per distinct
 * policy the domain's sessions ran under, with its {@code summary} and {@code failure-details}.
 */
public final class TlsReportJson {

    /** The report's metadata (RFC 8460 section 4.3.1). */
    public static final class Metadata {
        final String organizationName;
        final String contactInfo;
        final String reportId;
        final long start;
        final long end;

        /**
         * @param start first second of the period (epoch seconds)
         * @param end last second of the period (epoch seconds)
         */
        public Metadata(
                String organizationName,
                String contactInfo,
                String reportId,
                long start,
                long end) {
            this.organizationName = organizationName;
            this.contactInfo = contactInfo;
            this.reportId = reportId;
            this.start = start;
            this.end = end;
        }
    }

    private TlsReportJson() {}

    /** The JSON (UTF-8) of {@code rows} (each with its session count). */
    public static byte[] write(Metadata meta, Map<TlsSessionRow, Long> rows) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("organization-name", meta.organizationName);
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("start-datetime", Instant.ofEpochSecond(meta.start).toString());
        range.put("end-datetime", Instant.ofEpochSecond(meta.end).toString());
        report.put("date-range", range);
        report.put("contact-info", meta.contactInfo);
        report.put("report-id", meta.reportId);
        report.put("policies", policies(rows));
        return JSONObjectUtils.toJSONString(report).getBytes(StandardCharsets.UTF_8);
    }

    private static List<Object> policies(Map<TlsSessionRow, Long> rows) {
        Map<String, PolicyCounts> byPolicy = new LinkedHashMap<>();
        rows.forEach(
                (row, n) -> {
                    TlsPolicy p = row.policy();
                    String key = TlsSessionRow.success(p).encode(); // the policy's part of a row
                    PolicyCounts c = byPolicy.computeIfAbsent(key, k -> new PolicyCounts(p));
                    if (row.result().isEmpty()) {
                        c.successes += n;
                    } else {
                        c.failures += n;
                        c.details.add(detail(row, n));
                    }
                });
        List<Object> out = new ArrayList<>();
        for (PolicyCounts c : byPolicy.values()) {
            Map<String, Object> policy = new LinkedHashMap<>();
            policy.put("policy-type", c.policy.type().value());
            if (!c.policy.strings().isEmpty()) {
                policy.put("policy-string", c.policy.strings());
            }
            policy.put("policy-domain", c.policy.domain());
            if (!c.policy.mxHosts().isEmpty()) {
                policy.put("mx-host", c.policy.mxHosts());
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("total-successful-session-count", c.successes);
            summary.put("total-failure-session-count", c.failures);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("policy", policy);
            entry.put("summary", summary);
            if (!c.details.isEmpty()) {
                entry.put("failure-details", c.details);
            }
            out.add(entry);
        }
        return out;
    }

    private static Map<String, Object> detail(TlsSessionRow row, long n) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("result-type", row.result().get().value());
        putIfKnown(d, "sending-mta-ip", row.sendingMtaIp());
        putIfKnown(d, "receiving-mx-hostname", row.receivingMxHostname());
        putIfKnown(d, "receiving-ip", row.receivingIp());
        d.put("failed-session-count", n);
        return d;
    }

    private static void putIfKnown(Map<String, Object> d, String name, String value) {
        if (!value.isEmpty()) {
            d.put(name, value);
        }
    }

    private static final class PolicyCounts {
        final TlsPolicy policy;
        long successes;
        long failures;
        final List<Object> details = new ArrayList<>();

        PolicyCounts(TlsPolicy policy) {
            this.policy = policy;
        }
    }
}
