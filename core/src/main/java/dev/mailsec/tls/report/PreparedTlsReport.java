package dev.mailsec.tls.report;

import dev.mailsec.report.PreparedFile;
import java.util.List;

/**
 * One TLS report ready to go: its JSON, gzipped, under the file name of RFC 8460 section 5.3
 * ({@code submitter!policy-domain!begin!end.json.gz}), and the rua URIs of the domain's record.
 */
public final class PreparedTlsReport extends PreparedFile {

    private final long end;
    private final long successes;
    private final long failures;

    PreparedTlsReport(
            long period,
            long end,
            String policyDomain,
            String reportId,
            String fileName,
            byte[] json,
            List<String> rua,
            long successes,
            long failures) {
        super(period, policyDomain, reportId, fileName, json, rua);
        this.end = end;
        this.successes = successes;
        this.failures = failures;
    }

    public long end() {
        return end;
    }

    public byte[] json() {
        return document();
    }

    public long successes() {
        return successes;
    }

    public long failures() {
        return failures;
    }
}
