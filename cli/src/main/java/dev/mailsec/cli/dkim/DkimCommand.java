package dev.mailsec.cli.dkim;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./mailsec dkim ...}: DKIM tools for operators. */
@Command(
        name = "dkim",
        mixinStandardHelpOptions = true,
        description = "DKIM: verify messages as the VerifyDkim mailet would.",
        subcommands = {
            VerifyCommand.class,
            DkimKeygenCommand.class,
            DkimRotateCommand.class,
            DkimSignCommand.class
        })
public final class DkimCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (verify)");
    }
}
