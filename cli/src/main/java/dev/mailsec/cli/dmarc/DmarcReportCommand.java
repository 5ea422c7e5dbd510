package dev.mailsec.cli.dmarc;

import dev.mailsec.cli.ReportCommands;
import dev.mailsec.cli.ReportInterval;
import dev.mailsec.cli.UserException;
import dev.mailsec.cli.dkim.KeyRecordOptions;
import dev.mailsec.dmarc.report.AggregateReporter;
import dev.mailsec.dmarc.report.PreparedReport;
import dev.mailsec.dmarc.report.ReportDestinations;
import dev.mailsec.dmarc.report.ReportRow;
import dev.mailsec.dmarc.report.ReportStores;
import dev.mailsec.report.CounterStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./mailsec dmarc report --dry-run --store URL [--day YYYY-MM-DD]}: prints the aggregate
 * reports the RecordDmarcResult mailet would send from its store (to whom, how big, and the XML),
 * sending nothing and forgetting nothing. Without {@code --day}: the periods finished now.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Print the DMARC aggregate reports that would be sent (--dry-run).")
public final class DmarcReportCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin KeyRecordOptions dns;

    @Option(
            names = "--dry-run",
            required = true,
            description =
                    "Print only (required: the RecordDmarcResult mailet's scheduler sends reports).")
    boolean dryRun;

    @Option(
            names = "--store",
            required = true,
            paramLabel = "URL",
            description = "The mailet's store: file:DIR or jdbc:postgresql://...")
    String store;

    @Option(
            names = "--schema",
            defaultValue = ReportStores.DEFAULT_SCHEMA,
            description = "PostgreSQL schema (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(
            names = "--day",
            paramLabel = "YYYY-MM-DD",
            description = "Periods starting that day (UTC).")
    String day;

    @Option(
            names = "--org-name",
            defaultValue = "mailsec",
            description = "org_name (default: ${DEFAULT-VALUE}).")
    String orgName;

    @Option(
            names = "--report-email",
            defaultValue = "dmarc-reports@localhost",
            description = "The reporting address (default: ${DEFAULT-VALUE}).")
    String email;

    @Option(
            names = "--receiver",
            defaultValue = "localhost",
            description = "Receiver domain in file names (default: ${DEFAULT-VALUE}).")
    String receiver;

    @CommandLine.Mixin ReportInterval interval;

    @Option(names = "--no-xml", description = "Leave the XML out.")
    boolean noXml;

    @Override
    public Integer call() {
        Duration period = interval.period();
        return ReportCommands.dryRun(spec, out -> print(out, period));
    }

    private void print(PrintWriter out, Duration period) throws IOException {
        try (CounterStore<ReportRow> s = ReportStores.open(store, schema, Integer.MAX_VALUE)) {
            AggregateReporter reporter =
                    new AggregateReporter(
                            s,
                            new ReportDestinations(dns.source()),
                            orgName,
                            email,
                            receiver,
                            period);
            Instant now = Instant.now();
            List<PreparedReport> reports =
                    day == null ? reporter.due(now) : reporter.forDay(parseDay(day));
            if (reports.isEmpty()) {
                out.println("no reports" + (day == null ? " due" : " for " + day));
            }
            for (PreparedReport r : reports) {
                out.println(
                        "report "
                                + r.fileName()
                                + ": "
                                + r.messages()
                                + " messages in "
                                + r.records()
                                + " records, "
                                + r.gzip().length
                                + " bytes gzipped");
                for (AggregateReporter.Delivery d : reporter.plan(r, now)) {
                    out.println(
                            "  "
                                    + d.uri
                                    + ": "
                                    + (d.send
                                            ? "would send " + d.size + " bytes to " + d.to
                                            : d.outcome));
                }
                if (!noXml) {
                    out.println(new String(r.xml(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static LocalDate parseDay(String day) {
        try {
            return LocalDate.parse(day);
        } catch (DateTimeParseException e) {
            throw new UserException("--day: must be YYYY-MM-DD, got '" + day + "'", 2);
        }
    }
}
