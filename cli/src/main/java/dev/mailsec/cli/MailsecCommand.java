package dev.mailsec.cli;

import dev.mailsec.cli.check.CheckCommand;
import dev.mailsec.cli.dkim.DkimCommand;
import dev.mailsec.cli.dkm.DkmCommand;
import dev.mailsec.cli.dmarc.DmarcCommand;
import dev.mailsec.cli.install.InstallCommand;
import dev.mailsec.cli.rights.PortalCommand;
import dev.mailsec.cli.rights.RightsCommand;
import dev.mailsec.cli.smime.SmimeCommand;
import dev.mailsec.cli.spf.SpfCommand;
import dev.mailsec.cli.tls.TlsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The operator's command line: {@code ./mailsec SUBCOMMAND ...}.
 *
 * <p>{@code run} is handled by the {@code ./mailsec} launcher script (it builds the pack and starts
 * James); it is listed here so that {@code --help} shows the whole tool. Every other subcommand is
 * a picocli command in this module. Errors end with a one-line reason on stderr and a non-zero
 * exit.
 */
@Command(
        name = "mailsec",
        mixinStandardHelpOptions = true,
        versionProvider = MailsecCommand.Version.class,
        description = "Mail-security extension pack for Apache James.",
        subcommands = {
            RunCommand.class,
            InstallCommand.class,
            DkmCommand.class,
            TlsCommand.class,
            DkimCommand.class,
            SmimeCommand.class,
            RightsCommand.class,
            PortalCommand.class,
            CheckCommand.class,
            SpfCommand.class,
            DmarcCommand.class,
            CommandLine.HelpCommand.class
        })
public final class MailsecCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code, for tests and for {@link #main}. */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new MailsecCommand());
        cl.setExecutionExceptionHandler(new OneLineErrors());
        cl.setParameterExceptionHandler(new OneLineErrors());
        return cl;
    }

    /** Bad input and refused operations end with one line on stderr, never a stack trace. */
    static final class OneLineErrors
            implements CommandLine.IExecutionExceptionHandler,
                    CommandLine.IParameterExceptionHandler {
        @Override
        public int handleExecutionException(
                Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
            cmd.getErr().println(cmd.getCommandName() + ": " + oneLine(ex));
            cmd.getErr().flush();
            return ex instanceof UserException ? ((UserException) ex).exitCode() : 1;
        }

        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr()
                    .println(
                            cmd.getCommandName()
                                    + ": "
                                    + oneLine(ex)
                                    + " (see '"
                                    + cmd.getCommandSpec().qualifiedName()
                                    + " --help')");
            cmd.getErr().flush();
            return 2;
        }

        private static String oneLine(Exception ex) {
            String message =
                    ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = MailsecCommand.class.getPackage().getImplementationVersion();
            return new String[] {"mailsec " + (v == null ? "(development build)" : v)};
        }
    }
}
