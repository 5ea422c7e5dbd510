package dev.mailsec.cli.dmarc;

import dev.mailsec.cli.UserException;
import dev.mailsec.dmarc.report.ReceivedReport;
import dev.mailsec.dmarc.report.ReceivedReports;
import dev.mailsec.dmarc.report.ReportFormatException;
import dev.mailsec.dmarc.report.ReportSummary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** Files larger than this are not read (a report mail is far smaller). */
    static final long MAX_FILE = 64L << 20;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Report files.")
    List<Path> files;

    @Override
    public Integer call() {
        List<ReceivedReport> reports = new ArrayList<>();
        int bad = 0;
        for (Path f : files) {
            try {
                reports.add(ReceivedReports.read(read(f)));
            } catch (ReportFormatException e) {
                spec.commandLine()
                        .getErr()
                        .println(f + ": not a readable report: " + e.getMessage());
                bad++;
            }
        }
        spec.commandLine().getOut().print(ReportSummary.format(reports));
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().flush();
        return bad == 0 ? 0 : 1;
    }

    private static byte[] read(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] data = in.readNBytes((int) MAX_FILE + 1);
            if (data.length > MAX_FILE) {
                throw new UserException(f + ": over " + MAX_FILE + " bytes", 2);
            }
            return data;
        } catch (NoSuchFileException e) {
            throw new UserException("no such file: " + f, 2);
        } catch (IOException e) {
            throw new UserException("cannot read " + f + ": " + e.getMessage(), 2);
        }
    }
}
