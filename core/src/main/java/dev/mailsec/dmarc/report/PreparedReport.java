package dev.mailsec.dmarc.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * One aggregate report ready to go: its XML, gzipped, under the file name of RFC 7489 section
 * 7.2.1.1 ({@code receiver!policy-domain!begin!end.xml.gz}), and the destinations its record names.
 */
public final class PreparedReport {

    private final long period;
    private final String policyDomain;
    private final String reportId;
    private final String fileName;
    private final byte[] xml;
    private final byte[] gzip;
    private final List<String> rua;
    private final long messages;
    private final int records;

    PreparedReport(
            long period,
            String policyDomain,
            String reportId,
            String fileName,
            byte[] xml,
            List<String> rua,
            long messages,
            int records) {
        this.period = period;
        this.policyDomain = policyDomain;
        this.reportId = reportId;
        this.fileName = fileName;
        this.xml = xml;
        this.gzip = gzip(xml);
        this.rua = List.copyOf(rua);
        this.messages = messages;
        this.records = records;
    }

    static byte[] gzip(byte[] data) {
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

    /** {@code receiver!policy-domain!begin!end.xml.gz}. */
    public String fileName() {
        return fileName;
    }

    public byte[] xml() {
        return xml.clone();
    }

    public byte[] gzip() {
        return gzip.clone();
    }

    /** The rua URIs of the record, as published. */
    public List<String> rua() {
        return rua;
    }

    /** Mails counted in the report. */
    public long messages() {
        return messages;
    }

    /** {@code record} elements in the report. */
    public int records() {
        return records;
    }
}
