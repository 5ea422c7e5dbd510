package dev.mailsec.cli.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import dev.mailsec.dmarc.report.ReportRow;
import dev.mailsec.dmarc.report.ReportRows;
import dev.mailsec.dmarc.report.ReportStores;
import dev.mailsec.report.FileCounterStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DmarcReportCommandsTest {

    @TempDir Path dir;

    @Test
    void dryRunShouldPrintRecipientsSizeAndXmlAndKeepTheCounts() throws Exception {
        Path zone = dir.resolve("zone");
        Files.writeString(
                zone,
                "$ORIGIN test.\nexample.com._report._dmarc.reports 300 IN TXT \"v=DMARC1\"\n");
        LocalDate day = LocalDate.parse("2026-12-06");
        long period = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        try (FileCounterStore<ReportRow> store =
                FileCounterStore.open(dir.resolve("store"), ReportStores.ROWS, 100)) {
            for (int i = 0; i < 3; i++) {
                store.add(
                        period,
                        ReportRows.from(
                                        Map.of(
                                                "fromDomain", "example.com",
                                                "record",
                                                        "v=DMARC1; p=quarantine;"
                                                                + " rua=mailto:d@example.com,mailto:a@reports.test,mailto:x@elsewhere.test",
                                                "sourceIp", "192.0.2.1",
                                                "disposition", "quarantine"),
                                        List.of(),
                                        null,
                                        "example.com")
                                .orElseThrow());
            }
        }

        CliRun run =
                CliRun.of(
                        "dmarc",
                        "report",
                        "--dry-run",
                        "--store",
                        "file:" + dir.resolve("store"),
                        "--day",
                        "2026-12-06",
                        "--zone",
                        zone.toString(),
                        "--receiver",
                        "mx.test");

        assertThat(run.err).isEmpty();
        assertThat(run.exitCode).isZero();
        assertThat(run.out)
                .contains(
                        "report mx.test!example.com!"
                                + period
                                + "!"
                                + (period + 86399)
                                + ".xml.gz: 3 messages in 1 records")
                .containsPattern("mailto:d@example.com: would send \\d+ bytes to d@example.com")
                .containsPattern("mailto:a@reports.test: would send \\d+ bytes to a@reports.test")
                .contains(
                        "mailto:x@elsewhere.test: refused: no example.com._report._dmarc.elsewhere.test record")
                .contains("<count>3</count>", "<disposition>quarantine</disposition>");
        // a dry run forgets nothing
        assertThat(
                        CliRun.of(
                                        "dmarc",
                                        "report",
                                        "--dry-run",
                                        "--store",
                                        "file:" + dir.resolve("store"),
                                        "--day",
                                        "2026-12-06",
                                        "--zone",
                                        zone.toString(),
                                        "--no-xml")
                                .out)
                .contains("3 messages")
                .doesNotContain("<feedback>");
        assertThat(
                        CliRun.of(
                                        "dmarc",
                                        "report",
                                        "--dry-run",
                                        "--store",
                                        "file:" + dir.resolve("store"),
                                        "--day",
                                        "2026-12-05",
                                        "--zone",
                                        zone.toString())
                                .out)
                .contains("no reports for 2026-12-05");
    }

    @Test
    void summaryShouldCountPerSourceAndNameUnreadableFiles() throws Exception {
        Path xml = dir.resolve("r.xml");
        Files.writeString(
                xml,
                "<feedback><version>1.0</version><report_metadata><org_name>Big Mail</org_name>"
                        + "<email>r@big.test</email><report_id>42</report_id><date_range><begin>0</begin>"
                        + "<end>86399</end></date_range></report_metadata><policy_published><domain>example.com"
                        + "</domain><p>reject</p></policy_published><record><row><source_ip>192.0.2.1</source_ip>"
                        + "<count>5</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim>"
                        + "<spf>fail</spf></policy_evaluated></row></record><record><row><source_ip>198.51.100.3"
                        + "</source_ip><count>2</count><policy_evaluated><disposition>reject</disposition>"
                        + "<dkim>fail</dkim><spf>fail</spf></policy_evaluated></row></record></feedback>",
                StandardCharsets.UTF_8);
        Path junk = dir.resolve("junk.xml");
        Files.writeString(
                junk, "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>");

        CliRun run = CliRun.of("dmarc", "summary", xml.toString(), junk.toString());

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).contains("junk.xml: not a readable report");
        assertThat(run.out)
                .contains("report 42 from Big Mail for example.com (p=reject)")
                .contains("total: 1 reports, 7 messages, 5 DMARC pass, 2 fail");
    }
}
