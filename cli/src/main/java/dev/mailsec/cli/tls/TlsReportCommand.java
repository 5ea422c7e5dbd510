package dev.mailsec.cli.tls;

import dev.mailsec.cli.ReportCommands;
import dev.mailsec.cli.ReportInterval;
import dev.mailsec.cli.dkim.KeyRecordOptions;
import dev.mailsec.report.CounterStore;
import dev.mailsec.tls.report.PreparedTlsReport;
import dev.mailsec.tls.report.TlsReportStores;
import dev.mailsec.tls.report.TlsReporter;
import dev.mailsec.tls.report.TlsSessionRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./mailsec tls report --dry-run --store URL [--all]}: prints the TLS reports (RFC 8460) the
 * SendTlsReports mailet would send from its store (to whom, and the JSON), sending nothing and
 * forgetting nothing. Without {@code --all}: the periods finished now.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Print the TLS reports (RFC 8460) that would be sent (--dry-run).")
public final class TlsReportCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin KeyRecordOptions dns;

    @Option(
            names = "--dry-run",
            required = true,
            description =
                    "Print only (required: the SendTlsReports mailet's scheduler sends reports).")
    boolean dryRun;

    @Option(
            names = "--store",
            required = true,
            paramLabel = "URL",
            description = "The mailet's store: file:DIR or jdbc:postgresql://...")
    String store;

    @Option(
            names = "--schema",
            defaultValue = TlsReportStores.DEFAULT_SCHEMA,
            description = "PostgreSQL schema (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--all", description = "Also the periods still running.")
    boolean all;

    @Option(
            names = "--org-name",
            defaultValue = "mailsec",
            description = "organization-name (default: ${DEFAULT-VALUE}).")
    String orgName;

    @Option(
            names = "--report-email",
            defaultValue = "tls-reports@localhost",
            description = "The reporting address (default: ${DEFAULT-VALUE}).")
    String email;

    @Option(
            names = "--submitter",
            defaultValue = "localhost",
            description = "Our domain in the reports (default: ${DEFAULT-VALUE}).")
    String submitter;

    @CommandLine.Mixin ReportInterval interval;

    @Option(names = "--no-json", description = "Leave the JSON out.")
    boolean noJson;

    @Override
    public Integer call() {
        Duration period = interval.period();
        return ReportCommands.dryRun(spec, out -> print(out, period));
    }

    private void print(PrintWriter out, Duration period) throws IOException {
        try (CounterStore<TlsSessionRow> s =
                TlsReportStores.open(store, schema, Integer.MAX_VALUE)) {
            TlsReporter reporter =
                    new TlsReporter(s, dns.source(), orgName, email, submitter, period);
            Instant now = Instant.now();
            List<PreparedTlsReport> reports =
                    reporter.pending(all ? Long.MAX_VALUE : reporter.periodOf(now));
            if (reports.isEmpty()) {
                out.println("no reports" + (all ? "" : " due"));
            }
            for (PreparedTlsReport r : reports) {
                out.println(
                        "report "
                                + r.fileName()
                                + ": "
                                + r.successes()
                                + " successful and "
                                + r.failures()
                                + " failed sessions, "
                                + r.gzip().length
                                + " bytes gzipped");
                for (TlsReporter.Delivery d : reporter.plan(r, now)) {
                    out.println(
                            "  "
                                    + (d.uri.isEmpty() ? "-" : d.uri)
                                    + ": "
                                    + (d.send ? "would send" : d.outcome));
                }
                if (!noJson) {
                    out.println(new String(r.json(), StandardCharsets.UTF_8));
                }
            }
        }
    }
}
