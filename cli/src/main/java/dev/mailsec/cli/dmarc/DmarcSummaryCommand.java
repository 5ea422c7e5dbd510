package dev.mailsec.cli.dmarc;

import dev.mailsec.cli.ReportFilesCommand;
import dev.mailsec.dmarc.report.ReceivedReport;
import dev.mailsec.dmarc.report.ReceivedReports;
import dev.mailsec.dmarc.report.ReportSummary;
import picocli.CommandLine.Command;

/**
 * {@code ./mailsec dmarc summary FILE...}: reads aggregate reports other receivers sent about our
 * domains (.xml, .xml.gz, .zip, or the .eml that carried one) and prints messages per source IP and
 * how they fared. A file that is no report is named on stderr; the exit status is then 1.
 */
@Command(
        name = "summary",
        mixinStandardHelpOptions = true,
        description = "Summarise incoming DMARC aggregate reports (.xml, .xml.gz, .zip, .eml).")
public final class DmarcSummaryCommand extends ReportFilesCommand<ReceivedReport> {

    public DmarcSummaryCommand() {
        super(ReceivedReports::read, "report", ReportSummary::format);
    }
}
