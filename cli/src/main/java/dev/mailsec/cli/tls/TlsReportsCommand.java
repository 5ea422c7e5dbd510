package dev.mailsec.cli.tls;

import dev.mailsec.cli.UserException;
import dev.mailsec.dmarc.report.ReportFormatException;
import dev.mailsec.tls.report.ReceivedTlsReport;
import dev.mailsec.tls.report.ReceivedTlsReports;
import dev.mailsec.tls.report.TlsReportSummary;
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

    /** Files larger than this are not read (a report mail is far smaller). */
    static final long MAX_FILE = 64L << 20;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Report files.")
    List<Path> files;

    @Override
    public Integer call() {
        List<ReceivedTlsReport> reports = new ArrayList<>();
        int bad = 0;
        for (Path f : files) {
            try {
                reports.add(ReceivedTlsReports.read(read(f)));
            } catch (ReportFormatException e) {
                spec.commandLine()
                        .getErr()
                        .println(f + ": not a readable TLS report: " + e.getMessage());
                bad++;
            }
        }
        spec.commandLine().getOut().print(TlsReportSummary.format(reports));
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
