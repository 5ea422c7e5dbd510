package dev.mailsec.tls.report;

import java.util.List;
import java.util.Map;

/** An incoming TLS report (RFC 8460) as far as the summary needs it. */
public final class ReceivedTlsReport {

    /** One {@code policies} entry: the policy and its session counts. */
    public static final class Policy {
        public final String domain;
        public final String type;
        public final long successes;
        public final long failures;

        /** Failed sessions by {@code result-type}, in the report's order. */
        public final Map<String, Long> failuresByType;

        Policy(
                String domain,
                String type,
                long successes,
                long failures,
                Map<String, Long> failuresByType) {
            this.domain = domain;
            this.type = type;
            this.successes = successes;
            this.failures = failures;
            this.failuresByType = Map.copyOf(failuresByType);
        }
    }

    public final String organization;
    public final String reportId;
    public final String start;
    public final String end;
    public final List<Policy> policies;

    ReceivedTlsReport(
            String organization, String reportId, String start, String end, List<Policy> policies) {
        this.organization = organization;
        this.reportId = reportId;
        this.start = start;
        this.end = end;
        this.policies = List.copyOf(policies);
    }
}
