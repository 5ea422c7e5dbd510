package dev.mailsec.tls.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * One TLS report ready to go: its JSON, gzipped, under the file name of RFC 8460 section 5.3
 * ({@code submitter!policy-domain!begin!end.json.gz}), and the rua URIs of the domain's record.
 */
public final class PreparedTlsReport {

    private final long period;
    private final long end;
    private final String policyDomain;
    private final String reportId;
    private final String fileName;
    private final byte[] json;
    private final byte[] gzip;
    private final List<String> rua;
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
        this.period = period;
        this.end = end;
        this.policyDomain = policyDomain;
        this.reportId = reportId;
        this.fileName = fileName;
        this.json = json.clone();
        this.gzip = gzip(json);
        this.rua = List.copyOf(rua);
        this.successes = successes;
        this.failures = failures;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public long period() {
        return period;
    }

    public long end() {
        return end;
    }

    public String policyDomain() {
        return policyDomain;
    }

    public String reportId() {
        return reportId;
    }

    public String fileName() {
        return fileName;
    }

    public byte[] json() {
        return json.clone();
    }

    public byte[] gzip() {
        return gzip.clone();
    }

    /** The rua URIs of the domain's TLS-RPT record when the report was made. */
    public List<String> rua() {
        return rua;
    }

    public long successes() {
        return successes;
    }

    public long failures() {
        return failures;
    }
}
