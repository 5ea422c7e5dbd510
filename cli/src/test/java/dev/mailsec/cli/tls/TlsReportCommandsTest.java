package dev.mailsec.cli.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import dev.mailsec.report.FileCounterStore;
import dev.mailsec.tls.report.TlsPolicy;
import dev.mailsec.tls.report.TlsReportStores;
import dev.mailsec.tls.report.TlsResultType;
import dev.mailsec.tls.report.TlsSessionRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsReportCommandsTest {

    @TempDir Path dir;

    @Test
    void dryRunShouldPrintWhereTheReportGoesAndItsJsonThenTheSummaryShouldReadIt()
            throws Exception {
        Path zone = dir.resolve("zone");
        Files.writeString(
                zone,
                "$ORIGIN test.\n_smtp._tls.partner 300 IN TXT \"v=TLSRPTv1; rua=mailto:tls@partner.test,https://r.partner.test/\"\n");
        long period = 1_796_515_200L; // 2026-12-06
        try (FileCounterStore<TlsSessionRow> store =
                FileCounterStore.open(dir.resolve("store"), TlsReportStores.ROWS, 100)) {
            TlsPolicy sts =
                    TlsPolicy.sts(
                            "partner.test",
                            List.of("version: STSv1", "mode: enforce"),
                            List.of("mx.partner.test"));
            for (int i = 0; i < 4; i++) {
                store.add(period, TlsSessionRow.success(sts));
            }
            store.add(
                    period,
                    TlsSessionRow.failure(
                            sts,
                            TlsResultType.CERTIFICATE_EXPIRED,
                            "192.0.2.1",
                            "mx.partner.test",
                            "198.51.100.1"));
        }

        CliRun run =
                CliRun.of(
                        "tls",
                        "report",
                        "--dry-run",
                        "--store",
                        "file:" + dir.resolve("store"),
                        "--zone",
                        zone.toString(),
                        "--submitter",
                        "mx.test");

        assertThat(run.err).isEmpty();
        assertThat(run.exitCode).isZero();
        assertThat(run.out)
                .contains(
                        "report mx.test!partner.test!"
                                + period
                                + "!"
                                + (period + 86399)
                                + ".json.gz: 4 successful and 1 failed sessions")
                .contains("mailto:tls@partner.test: would send")
                .contains("https://r.partner.test/: https rua not supported")
                .contains(
                        "\"result-type\":\"certificate-expired\"",
                        "\"total-successful-session-count\":4");

        // the JSON it printed, as a partner would receive it
        String json = run.out.substring(run.out.indexOf('{'), run.out.lastIndexOf('}') + 1);
        Path file = dir.resolve("report.json");
        Files.writeString(file, json);
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{\"policies\": 3}");
        CliRun summary = CliRun.of("tls", "reports", file.toString(), junk.toString());
        assertThat(summary.out)
                .contains("1 report")
                .contains(
                        "partner.test (sts): 4 successful, 1 failed sessions; reported by mailsec")
                .contains("  certificate-expired: 1");
        assertThat(summary.err).contains("junk.json: not a readable TLS report");
        assertThat(summary.exitCode).isEqualTo(1);
    }
}
