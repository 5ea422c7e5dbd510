package dev.mailsec.cli.rights;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./mailsec rights ...}: rights protection (docs/rights.md) for operators. */
@Command(
        name = "rights",
        mixinStandardHelpOptions = true,
        description =
                "Rights protection: create the keys, list templates, revoke, show the access log, open a protected message.",
        subcommands = {
            RightsInitCommand.class,
            RightsTemplatesCommand.class,
            RightsRevokeCommand.class,
            RightsLogCommand.class,
            RightsOpenCommand.class
        })
public final class RightsCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand (init, templates, revoke, log, open)");
    }
}
