package dev.mailsec.tls.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.report.FileCounterStore;
import dev.mailsec.testsupport.ReporterFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TlsReporterTest extends ReporterFixture {

    FileCounterStore<TlsSessionRow> store;
    TlsReporter reporter;

    @BeforeEach
    void setUp() throws Exception {
        store = FileCounterStore.open(dir, TlsReportStores.ROWS, 1000);
        reporter =
                new TlsReporter(
                        store,
                        txt,
                        "Mailsec Test",
                        "tls-reports@mx.test",
                        "mx.test",
                        Duration.ofDays(1));
    }

    void record(int n, TlsSessionRow row) throws Exception {
        for (int i = 0; i < n; i++) {
            store.add(reporter.periodOf(DAY1), row);
        }
    }

    @Test
    void aFinishedDayShouldGoToEachMailtoRuaAsAnRfc8460Report() throws Exception {
        dns.put(
                "_smtp._tls.example.com",
                KeyLookup.found(
                        List.of(
                                "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://r.example.com/x")));
        record(5, TlsSessionRow.success(TlsSessionRowTest.STS));
        record(
                2,
                TlsSessionRow.failure(
                        TlsSessionRowTest.STS,
                        TlsResultType.CERTIFICATE_HOST_MISMATCH,
                        "192.0.2.1",
                        "mx2.example.com",
                        "198.51.100.2"));
        record(
                1,
                TlsSessionRow.failure(
                        TlsPolicy.none("example.com"),
                        TlsResultType.STARTTLS_NOT_SUPPORTED,
                        "",
                        "mx3.example.com",
                        ""));

        assertThat(reporter.sendDue(DAY1.plusSeconds(3600), sent::add)).isEmpty();
        List<TlsReporter.Delivery> deliveries = reporter.sendDue(DAY2, sent::add);

        assertThat(deliveries)
                .extracting(d -> d.outcome)
                .containsExactly("sent", "https rua not supported");
        assertThat(sent).hasSize(1);
        MimeMessage m = sent.get(0);
        long start = reporter.periodOf(DAY1);
        assertThat(m.getSubject())
                .isEqualTo(
                        "Report Domain: example.com Submitter: mx.test Report-ID: <"
                                + start
                                + ".example.com@mx.test>");
        assertThat(m.getHeader("TLS-Report-Domain", null)).isEqualTo("example.com");
        assertThat(m.getHeader("TLS-Report-Submitter", null)).isEqualTo("mx.test");
        assertThat(m.getContentType()).contains("multipart/report").contains("report-type=tlsrpt");
        Part attachment = ((Multipart) m.getContent()).getBodyPart(1);
        assertThat(attachment.getContentType()).startsWith("application/tlsrpt+gzip");
        assertThat(attachment.getFileName())
                .isEqualTo("mx.test!example.com!" + start + "!" + (start + 86399) + ".json.gz");
        Map<String, Object> json = JSONObjectUtils.parse(gunzip(attachment));
        assertThat(json.get("organization-name")).isEqualTo("Mailsec Test");
        assertThat(json.get("contact-info")).isEqualTo("tls-reports@mx.test");
        assertThat(JSONObjectUtils.getJSONObject(json, "date-range"))
                .containsEntry("start-datetime", "2026-12-06T00:00:00Z")
                .containsEntry("end-datetime", "2026-12-06T23:59:59Z");
        List<Map<String, Object>> policies =
                Arrays.asList(JSONObjectUtils.getJSONObjectArray(json, "policies"));
        assertThat(policies).hasSize(2);
        assertThat(policies.get(0).toString())
                .contains(
                        "policy-type=sts", "mx-host=[*.example.com]", "policy-domain=example.com");
        ReceivedTlsReport back = ReceivedTlsReports.read(mailBytes(m));
        assertThat(TlsReportSummary.format(List.of(back)))
                .contains(
                        "example.com (sts): 5 successful, 2 failed sessions; reported by Mailsec Test")
                .contains("  certificate-host-mismatch: 2")
                .contains("example.com (no-policy-found): 0 successful, 1 failed sessions")
                .contains("  starttls-not-supported: 1");
        // sent: forgotten
        assertThat(store.pending(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void aTemporaryDnsFailureShouldKeepTheReportAndNoRecordShouldDropIt() throws Exception {
        record(1, TlsSessionRow.success(TlsPolicy.none("example.com")));
        record(1, TlsSessionRow.success(TlsPolicy.none("norecord.test")));
        dns.put("_smtp._tls.example.com", KeyLookup.temporaryFailure("SERVFAIL"));

        List<TlsReporter.Delivery> deliveries = reporter.sendDue(DAY2, sent::add);

        assertThat(deliveries)
                .extracting(d -> d.outcome)
                .containsExactly("no valid TLS-RPT record at _smtp._tls.norecord.test");
        assertThat(sent).isEmpty();
        assertThat(store.pending(Long.MAX_VALUE))
                .extracting(p -> p.policyDomain)
                .containsExactly("example.com");
    }

    @Test
    void aFailedSendShouldKeepTheReportForTheNextRun() throws Exception {
        dns.put(
                "_smtp._tls.example.com",
                KeyLookup.found(List.of("v=TLSRPTv1; rua=mailto:r@example.com")));
        record(1, TlsSessionRow.success(TlsPolicy.none("example.com")));

        List<TlsReporter.Delivery> deliveries =
                reporter.sendDue(
                        DAY2,
                        message -> {
                            throw new MessagingException("spool full");
                        });

        assertThat(deliveries)
                .extracting(d -> d.outcome)
                .containsExactly("temporary: cannot send: spool full");
        assertThat(reporter.sendDue(DAY2, sent::add))
                .extracting(d -> d.outcome)
                .containsExactly("sent");
    }

    static byte[] mailBytes(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    static String gunzip(Part p) throws Exception {
        try (GZIPInputStream in =
                new GZIPInputStream(new ByteArrayInputStream(p.getInputStream().readAllBytes()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
