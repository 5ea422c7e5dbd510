package dev.mailsec.cli.spf;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./mailsec spf ...}: SPF tools for operators. */
@Command(
        name = "spf",
        mixinStandardHelpOptions = true,
        description = "SPF: check a client as the VerifySpf mailet would.",
        subcommands = {SpfCheckCommand.class})
public final class SpfCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (check)");
    }
}
