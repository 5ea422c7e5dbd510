package dev.mailsec.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * What a report ready to go has whatever its format (DMARC aggregate report, TLS report): its
 * period, policy domain, id, file name, the document gzipped, and the rua URIs of the domain's
 * record.
 */
public abstract class PreparedFile {

    private final long period;
    private final String policyDomain;
    private final String reportId;
    private final String fileName;
    private final byte[] document;
    private final byte[] gzip;
    private final List<String> rua;

    protected PreparedFile(
            long period,
            String policyDomain,
            String reportId,
            String fileName,
            byte[] document,
            List<String> rua) {
        this.period = period;
        this.policyDomain = policyDomain;
        this.reportId = reportId;
        this.fileName = fileName;
        this.document = document.clone();
        this.gzip = gzip(document);
        this.rua = List.copyOf(rua);
    }

    /** {@code data} gzipped. */
    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public long period() {
        return period;
    }

    public String policyDomain() {
        return policyDomain;
    }

    public String reportId() {
        return reportId;
    }

    /** {@code submitter!policy-domain!begin!end} and the format's extension. */
    public String fileName() {
        return fileName;
    }

    /** The report document (XML, JSON), not gzipped. */
    protected byte[] document() {
        return document.clone();
    }

    public byte[] gzip() {
        return gzip.clone();
    }

    /** The rua URIs of the domain's record when the report was made. */
    public List<String> rua() {
        return rua;
    }
}
