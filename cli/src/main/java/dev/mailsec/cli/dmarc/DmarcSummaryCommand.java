package dev.mailsec.cli.dmarc;

import dev.mailsec.cli.ReportCommands;
import dev.mailsec.dmarc.report.ReceivedReports;
import dev.mailsec.dmarc.report.ReportSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec dmarc summary FILE...}: reads aggregate reports other receivers sent about our
 * domains (.xml, .xml.gz, .zip, or the .eml that carried one) and prints messages per source IP and
 * how they fared. A file that is no report is named on stderr; the exit status is then 1.
 */
@Command(
        name = "summary",
        mixinStandardHelpOptions = true,
        description = "Summarise incoming DMARC aggregate reports (.xml, .xml.gz, .zip, .eml).")
public final class DmarcSummaryCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Report files.")
    List<Path> files;

    @Override
    public Integer call() {
        return ReportCommands.summarise(
                spec, files, ReceivedReports::read, "report", ReportSummary::format);
    }
}
