package dev.mailsec.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.report.FileCounterStore;
import dev.mailsec.testsupport.ReporterFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AggregateReporterTest extends ReporterFixture {

    FileCounterStore<ReportRow> store;
    AggregateReporter reporter;

    @BeforeEach
    void setUp() throws Exception {
        store = FileCounterStore.open(dir, ReportStores.ROWS, 1000);
        reporter =
                new AggregateReporter(
                        store,
                        new ReportDestinations(txt),
                        "Mailsec Test",
                        "dmarc-reports@mx.test",
                        "mx.test",
                        Duration.ofDays(1));
    }

    void record(int n, String ip) throws Exception {
        for (int i = 0; i < n; i++) {
            store.add(reporter.periodOf(DAY1), ReportFixtures.row(ip, "reject", false));
        }
    }

    @Test
    void aFinishedDayShouldGoToTheVerifiedAddressesOnly() throws Exception {
        record(4, "192.0.2.1");
        record(2, "192.0.2.2");

        // still the same day: nothing due
        assertThat(reporter.sendDue(DAY1.plusSeconds(3600), sent::add)).isEmpty();

        List<AggregateReporter.Delivery> deliveries = reporter.sendDue(DAY2, sent::add);

        assertThat(deliveries)
                .extracting(d -> d.outcome)
                .containsExactly(
                        "sent",
                        "refused: no example.com._report._dmarc.reports.test record (RFC 7489 7.1)");
        assertThat(sent).hasSize(1);
        MimeMessage m = sent.get(0);
        assertThat(m.getRecipients(MimeMessage.RecipientType.TO)[0].toString())
                .isEqualTo("dmarc@example.com");
        assertThat(m.getSubject())
                .isEqualTo(
                        "Report Domain: example.com Submitter: mx.test Report-ID:"
                                + " <1796515200.example.com@mx.test>");
        Part attachment = ((Multipart) m.getContent()).getBodyPart(1);
        assertThat(attachment.getFileName())
                .isEqualTo("mx.test!example.com!1796515200!1796601599.xml.gz");
        byte[] xml = gunzip(attachment.getInputStream().readAllBytes());
        RuaSchema.validate(xml);
        assertThat(new String(xml, "UTF-8")).contains("<count>4</count>", "<count>2</count>");
        // sent: forgotten
        assertThat(store.pending(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void aVerifiedOutsideDestinationShouldGetTheReportWithinItsSizeLimit() throws Exception {
        dns.put("example.com._report._dmarc.reports.test", KeyLookup.found(List.of("v=DMARC1")));
        record(1, "192.0.2.1");

        List<AggregateReporter.Delivery> deliveries = reporter.sendDue(DAY2, sent::add);

        assertThat(deliveries)
                .extracting(d -> d.to)
                .containsExactly("dmarc@example.com", "agg@reports.test");
        assertThat(deliveries).allMatch(d -> d.outcome.equals("sent"));
        assertThat(deliveries.get(1).size).isLessThan(10 * 1024);
    }

    @Test
    void aReportOverTheUrisLimitShouldNotBeSentThere() throws Exception {
        for (int i = 0; i < 20; i++) {
            store.add(
                    reporter.periodOf(DAY1),
                    bareRow(
                            "v=DMARC1; p=none; rua=mailto:small@example.com!1k,mailto:big@example.com",
                            "198.51.100." + i));
        }

        List<AggregateReporter.Delivery> deliveries = reporter.sendDue(DAY2, sent::add);

        assertThat(deliveries.get(0).outcome).startsWith("too big: ").endsWith("limit of 1024");
        assertThat(deliveries.get(1).outcome).isEqualTo("sent");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getRecipients(MimeMessage.RecipientType.TO)[0].toString())
                .isEqualTo("big@example.com");
    }

    @Test
    void aDomainAskingHourlyReportsShouldGetThemWhileDailyOnesWait() throws Exception {
        record(2, "192.0.2.1"); // example.com, daily
        ReportRow hourly =
                ReportRows.from(
                                Map.of(
                                        "fromDomain", "hourly.test",
                                        "record",
                                                "v=DMARC1; p=none; ri=3600; rua=mailto:d@hourly.test",
                                        "sourceIp", "192.0.2.9"),
                                List.of(),
                                null,
                                "")
                        .orElseThrow();
        long start = reporter.periodOf(DAY1.plusSeconds(1800), hourly);
        assertThat(Instant.ofEpochSecond(start)).isEqualTo(DAY1);
        store.add(start, hourly);

        assertThat(reporter.sendDue(DAY1.plusSeconds(3599), sent::add)).isEmpty();
        assertThat(reporter.sendDue(DAY1.plusSeconds(3600), sent::add))
                .extracting(d -> d.to + " " + d.outcome)
                .containsExactly("d@hourly.test sent");
        Part attachment = ((Multipart) sent.get(0).getContent()).getBodyPart(1);
        // 10:00:00 to 10:59:59 (RFC 7489 7.2: on hour boundaries)
        assertThat(attachment.getFileName())
                .isEqualTo("mx.test!hourly.test!1796551200!1796554799.xml.gz");
        assertThat(store.pending(Long.MAX_VALUE)).hasSize(1); // example.com's day goes on

        // a reporter that did not record it (another node, a restart) reads ri from the rows
        store.add(start + 3600, hourly);
        reporter =
                new AggregateReporter(
                        store,
                        new ReportDestinations(txt),
                        "Mailsec Test",
                        "dmarc-reports@mx.test",
                        "mx.test",
                        Duration.ofDays(1));
        assertThat(reporter.sendDue(DAY1.plusSeconds(7199), sent::add)).isEmpty();
        assertThat(reporter.sendDue(DAY1.plusSeconds(7200), sent::add))
                .extracting(d -> d.to)
                .containsExactly("d@hourly.test");
    }

    @Test
    void aNonMailtoRuaShouldBeIgnoredWithItsReason() throws Exception {
        store.add(
                reporter.periodOf(DAY1),
                bareRow(
                        "v=DMARC1; p=none; rua=https://reports.example/dmarc,mailto:dmarc@example.com",
                        "192.0.2.1"));

        assertThat(reporter.sendDue(DAY2, sent::add))
                .extracting(d -> d.uri + " " + d.outcome)
                .containsExactly(
                        "https://reports.example/dmarc ignored: only mailto: URIs are supported"
                                + " (RFC 7489 6.2)",
                        "mailto:dmarc@example.com sent");
        assertThat(sent).hasSize(1);
    }

    static ReportRow bareRow(String record, String ip) {
        return ReportRows.from(
                        Map.of("fromDomain", "example.com", "record", record, "sourceIp", ip),
                        List.of(),
                        null,
                        "")
                .orElseThrow();
    }

    @Test
    void aDnsFailureShouldKeepTheReportForTheNextRunWhenNothingWentOut() throws Exception {
        ReportRow row = bareRow("v=DMARC1; p=none; rua=mailto:x@reports.test", "192.0.2.1");
        store.add(reporter.periodOf(DAY1), row);
        dns.put("example.com._report._dmarc.reports.test", KeyLookup.temporaryFailure("timeout"));

        assertThat(reporter.sendDue(DAY2, sent::add))
                .extracting(d -> d.outcome)
                .containsExactly("temporary DNS failure");
        assertThat(store.pending(Long.MAX_VALUE)).hasSize(1);

        dns.put("example.com._report._dmarc.reports.test", KeyLookup.found(List.of("v=DMARC1")));
        assertThat(reporter.sendDue(DAY2, sent::add))
                .extracting(d -> d.outcome)
                .containsExactly("sent");
        assertThat(store.pending(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void aDryRunForADayShouldShowWithoutSendingOrForgetting() throws Exception {
        record(3, "192.0.2.1");
        List<PreparedReport> reports = reporter.forDay(LocalDate.parse("2026-12-06"));
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).messages()).isEqualTo(3);
        assertThat(reporter.plan(reports.get(0), DAY2))
                .extracting(d -> d.send)
                .containsExactly(true, false);
        assertThat(reporter.forDay(LocalDate.parse("2026-12-05"))).isEmpty();
        assertThat(store.pending(Long.MAX_VALUE)).hasSize(1);
    }

    @Test
    void aSenderThatFailsShouldKeepTheReportForTheNextRun() throws Exception {
        record(1, "192.0.2.1");

        assertThat(
                        reporter.sendDue(
                                DAY2,
                                m -> {
                                    throw new MessagingException("queue full");
                                }))
                .extracting(d -> d.outcome)
                .contains("temporary: cannot send: queue full");
        assertThat(store.pending(Long.MAX_VALUE)).hasSize(1);

        assertThat(reporter.sendDue(DAY2, sent::add)).extracting(d -> d.outcome).contains("sent");
        assertThat(store.pending(Long.MAX_VALUE)).isEmpty();
    }

    static byte[] gunzip(byte[] gz) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            in.transferTo(out);
        }
        return out.toByteArray();
    }
}
