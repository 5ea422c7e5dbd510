package dev.mailsec.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

class ReceivedReportsTest {

    static byte[] ourReport() {
        Map<ReportRow, Long> rows = new LinkedHashMap<>();
        rows.put(ReportFixtures.row("192.0.2.1", "none", true), 7L);
        rows.put(ReportFixtures.row("203.0.113.9", "reject", false), 2L);
        return AggregateReportXml.write(
                new AggregateReportXml.Metadata("Other Receiver", "r@other.test", "id-1", 0, 86399),
                PublishedPolicy.parse("example.com", ReportFixtures.RECORD),
                rows);
    }

    @Test
    void everyWrappingShouldGiveTheSameReport() throws Exception {
        byte[] xml = ourReport();
        byte[] gz = PreparedReport.gzip(xml);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("other.test!example.com!0!86399.xml"));
            z.write(xml);
        }
        PreparedReport prepared =
                new PreparedReport(0, "example.com", "id-1", "r.xml.gz", xml, List.of(), 9, 2);
        ByteArrayOutputStream eml = new ByteArrayOutputStream();
        ReportMail.build(prepared, "r@other.test", "other.test", "dmarc@example.com", Instant.EPOCH)
                .writeTo(eml);

        for (byte[] input : List.of(xml, gz, zip.toByteArray(), eml.toByteArray())) {
            ReceivedReport r = ReceivedReports.read(input);
            assertThat(r.orgName).isEqualTo("Other Receiver");
            assertThat(r.domain).isEqualTo("example.com");
            assertThat(r.messages()).isEqualTo(9);
            assertThat(r.rows)
                    .extracting(row -> row.sourceIp)
                    .containsExactly("192.0.2.1", "203.0.113.9");
        }
        String summary = ReportSummary.format(List.of(ReceivedReports.read(gz)));
        assertThat(summary)
                .contains("report id-1 from Other Receiver for example.com (p=reject)")
                .contains("total: 1 reports, 9 messages, 7 DMARC pass, 2 fail");
        assertThat(summary.lines().filter(l -> l.contains("203.0.113.9")).findFirst().orElseThrow())
                .matches("\\s+203\\.0\\.113\\.9\\s+2\\s+0\\s+0\\s+2\\s+0\\s+2");
    }

    @Test
    void entityTricksShouldBeRefused() {
        String laughs =
                "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY a \"aaaaaaaaaa\">"
                        + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><feedback>&b;</feedback>";
        String xxe =
                "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY x SYSTEM"
                        + " \"file:///etc/passwd\">]><feedback><report_metadata><org_name>&x;"
                        + "</org_name></report_metadata></feedback>";
        for (String s : List.of(laughs, xxe)) {
            assertThatThrownBy(() -> ReceivedReports.read(s.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(ReportFormatException.class)
                    .hasMessageContaining("not well-formed XML");
        }
    }

    @Test
    void bombsShouldStopAtTheBound() throws Exception {
        // 64 MiB of spaces after "<feedback>", a few tens of KiB gzipped
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("<feedback>".getBytes(StandardCharsets.US_ASCII));
            byte[] spaces = new byte[1 << 20];
            Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 64; i++) {
                out.write(spaces);
            }
        }
        assertThat(gz.size()).isLessThan(200_000);
        assertThatThrownBy(() -> ReceivedReports.read(gz.toByteArray()))
                .isInstanceOf(ReportFormatException.class)
                .hasMessageContaining("expands beyond");

        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (int i = 0; i < 20; i++) {
                z.putNextEntry(new ZipEntry("junk" + i + ".txt"));
            }
        }
        assertThatThrownBy(() -> ReceivedReports.read(zip.toByteArray()))
                .isInstanceOf(ReportFormatException.class)
                .hasMessageContaining("entries");
    }

    @Test
    void aMailWithoutReportShouldBeRefused() throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setText("hello");
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        assertThatThrownBy(() -> ReceivedReports.read(out.toByteArray()))
                .isInstanceOf(ReportFormatException.class)
                .hasMessageContaining("no report attachment");
    }
}
