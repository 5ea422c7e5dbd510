package dev.mailsec.cli.tls;

import dev.mailsec.cli.ReportCommands;
import dev.mailsec.tls.report.ReceivedTlsReports;
import dev.mailsec.tls.report.TlsReportSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec tls reports FILE...}: reads TLS reports (RFC 8460) other senders sent about our
 * domains (.json, .json.gz, or the .eml that carried one) and prints, per policy domain and type,
 * successful and failed sessions and the failures by result type. A file that is no report is named
 * on stderr; the exit status is then 1.
 */
@Command(
        name = "reports",
        mixinStandardHelpOptions = true,
        description = "Summarise incoming TLS reports (.json, .json.gz, .eml).")
public final class TlsReportsCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Report files.")
    List<Path> files;

    @Override
    public Integer call() {
        return ReportCommands.summarise(
                spec, files, ReceivedTlsReports::read, "TLS report", TlsReportSummary::format);
    }
}
