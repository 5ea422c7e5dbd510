package dev.mailsec.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Parameters;

/**
 * A command that summarises report files others sent (DMARC aggregate reports, TLS reports): see
 * {@link ReportCommands#summarise}.
 */
public abstract class ReportFilesCommand<R> implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Report files.")
    List<Path> files;

    private final ReportCommands.Reader<R> reader;
    private final String what;
    private final Function<List<R>, String> format;

    /** {@code what}: how stderr names a file that is no such report ("not a readable WHAT"). */
    protected ReportFilesCommand(
            ReportCommands.Reader<R> reader, String what, Function<List<R>, String> format) {
        this.reader = reader;
        this.what = what;
        this.format = format;
    }

    @Override
    public Integer call() {
        return ReportCommands.summarise(spec, files, reader, what, format);
    }
}
