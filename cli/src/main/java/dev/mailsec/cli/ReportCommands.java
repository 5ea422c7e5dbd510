package dev.mailsec.cli;

import dev.mailsec.dmarc.report.ReportFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * What the report commands share (DMARC aggregate reports, TLS reports): summarising report files
 * others sent, and the dry run over a report store.
 */
public final class ReportCommands {

    /** Files larger than this are not read (a report mail is far smaller). */
    public static final long MAX_FILE = 64L << 20;

    private ReportCommands() {}

    /** Reads one report file, or fails with the reason. */
    public interface Reader<R> {
        R read(byte[] data) throws ReportFormatException;
    }

    /** Prints {@code what} the store holds; may fail to read it. */
    public interface StoreWork {
        void run(PrintWriter out) throws IOException;
    }

    /**
     * Reads every file, prints the summary of those that are reports and names on stderr those that
     * are not ("not a readable {@code what}"). Returns the exit status: 0, or 1 if a file was no
     * report.
     */
    public static <R> int summarise(
            CommandLine.Model.CommandSpec spec,
            List<Path> files,
            Reader<R> reader,
            String what,
            Function<List<R>, String> format) {
        List<R> reports = new ArrayList<>();
        int bad = 0;
        for (Path f : files) {
            try {
                reports.add(reader.read(read(f)));
            } catch (ReportFormatException e) {
                spec.commandLine()
                        .getErr()
                        .println(f + ": not a readable " + what + ": " + e.getMessage());
                bad++;
            }
        }
        spec.commandLine().getOut().print(format.apply(reports));
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

    /**
     * Runs a dry run over the store on {@code spec}'s output: a bad {@code --store} or an
     * unreadable store becomes the user's error. Returns the exit status 0.
     */
    public static int dryRun(CommandLine.Model.CommandSpec spec, StoreWork work) {
        PrintWriter out = spec.commandLine().getOut();
        try {
            work.run(out);
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            throw new UserException("--store: " + e.getMessage(), 2);
        } catch (IOException e) {
            throw new UserException("cannot read the report store: " + e.getMessage());
        }
    }
}
