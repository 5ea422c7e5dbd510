package dev.mailsec.cli.tls;

import dev.mailsec.cli.ReportFilesCommand;
import dev.mailsec.tls.report.ReceivedTlsReport;
import dev.mailsec.tls.report.ReceivedTlsReports;
import dev.mailsec.tls.report.TlsReportSummary;
import picocli.CommandLine.Command;

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
public final class TlsReportsCommand extends ReportFilesCommand<ReceivedTlsReport> {

    public TlsReportsCommand() {
        super(ReceivedTlsReports::read, "TLS report", TlsReportSummary::format);
    }
}
