package dev.mailsec.cli.dmarc;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./mailsec dmarc ...}: DMARC tools for operators. */
@Command(
        name = "dmarc",
        mixinStandardHelpOptions = true,
        description = "DMARC: evaluate messages as the VerifyDmarc mailet would, show records.",
        subcommands = {DmarcCheckCommand.class, DmarcRecordCommand.class})
public final class DmarcCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand (check, record)");
    }
}
