package dev.mailsec.cli.arc;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mailsec arc verify|seal}: ARC (RFC 8617) chains of message files. */
@Command(
        name = "arc",
        mixinStandardHelpOptions = true,
        description = "Verify or seal the ARC chain of a message.",
        subcommands = {ArcVerifyCommand.class, ArcSealCommand.class})
public final class ArcCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand (verify, seal)");
    }
}
