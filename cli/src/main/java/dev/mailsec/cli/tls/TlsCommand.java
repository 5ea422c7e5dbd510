package dev.mailsec.cli.tls;

import dev.mailsec.cli.UserException;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code ./mailsec tls ...}: TLS connectors, checked and turned into James configuration. */
@Command(
        name = "tls",
        mixinStandardHelpOptions = true,
        description =
                "TLS connectors: check a partner as delivery would, generate RemoteDelivery processors;"
                        + " TLS reports (RFC 8460): what would be sent, what we received.",
        subcommands = {
            TlsCheckCommand.class,
            TlsRemoteDeliveryCommand.class,
            TlsReportCommand.class,
            TlsReportsCommand.class,
            TlsMtaStsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class TlsCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--connectors",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "connectors file (default: ${DEFAULT-VALUE})",
            defaultValue = "conf/connectors.xml")
    Path connectors;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "missing subcommand (check, remote-delivery, report, reports, mta-sts)");
    }

    /**
     * The validated connectors file; a mistake in it is bad input (exit 2) naming connector, field
     * and value.
     */
    Connectors loadConnectors() {
        try {
            return ConnectorsFile.load(connectors);
        } catch (InvalidConnectorsException e) {
            throw new UserException(e.getMessage(), 2);
        }
    }
}
