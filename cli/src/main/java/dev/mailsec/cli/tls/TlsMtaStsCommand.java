package dev.mailsec.cli.tls;

import dev.mailsec.cli.UserException;
import dev.mailsec.config.PackPaths;
import dev.mailsec.tls.published.OwnPolicies;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code ./mailsec tls mta-sts serve|records}: our own domains' MTA-STS policies, served over HTTPS
 * and published in DNS, from {@code conf/mta-sts.xml} ({@link OwnPolicies}).
 */
@Command(
        name = "mta-sts",
        mixinStandardHelpOptions = true,
        description = "Our own domains' MTA-STS: serve the policies, print the DNS records.",
        subcommands = {
            MtaStsServeCommand.class,
            MtaStsRecordsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class TlsMtaStsCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--config",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "our domains' MTA-STS file (default: ${DEFAULT-VALUE})",
            defaultValue = "conf/mta-sts.xml")
    String config;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand (serve, records)");
    }

    /**
     * The checked file; a mistake in it is bad input (exit 2) naming element, attribute and value.
     */
    OwnPolicies load() {
        Path file;
        try {
            file = PackPaths.resolve(config);
        } catch (IllegalArgumentException e) {
            throw new UserException("--config: " + e.getMessage(), 2);
        }
        try {
            return OwnPolicies.load(file);
        } catch (NoSuchFileException e) {
            throw new UserException("--config: no such file: " + file, 2);
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), 2);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), 2);
        }
    }
}
