package dev.mailsec.cli.dmarc;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./mailsec dmarc ...}: DMARC tools for operators. (Aggregate reports here; {@code check}
 * and {@code record} come with the DMARC engine: the two parents merge into one.)
 */
@Command(
        name = "dmarc",
        mixinStandardHelpOptions = true,
        description = "DMARC: aggregate reports we send and receive.",
        subcommands = {DmarcReportCommand.class, DmarcSummaryCommand.class})
public final class DmarcCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand (report, summary)");
    }
}
