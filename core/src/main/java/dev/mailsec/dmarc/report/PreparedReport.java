package dev.mailsec.dmarc.report;

import dev.mailsec.report.PreparedFile;
import java.util.List;

/**
 * One aggregate report ready to go: its XML, gzipped, under the file name of RFC 7489 section
 * 7.2.1.1 ({@code receiver!policy-domain!begin!end.xml.gz}), and the destinations its record names.
 */
public final class PreparedReport extends PreparedFile {

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
        super(period, policyDomain, reportId, fileName, xml, rua);
        this.messages = messages;
        this.records = records;
    }

    public byte[] xml() {
        return document();
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
