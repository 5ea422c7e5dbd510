package dev.mailsec.cli.smime;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./mailsec smime sign|encrypt|decrypt|verify MESSAGE}: the engine the mailets use, for
 * operators and interop checks. The message is a file ({@code -} for stdin); the result goes to
 * stdout. Each subcommand is a class of its own ({@link SmimeSignCommand}, {@link
 * SmimeEncryptCommand}, {@link SmimeDecryptCommand}, {@link SmimeVerifyCommand}).
 */
@Command(
        name = "smime",
        mixinStandardHelpOptions = true,
        description =
                "S/MIME: sign, encrypt, decrypt and verify messages as the S/MIME mailets would.",
        subcommands = {
            SmimeSignCommand.class,
            SmimeEncryptCommand.class,
            SmimeDecryptCommand.class,
            SmimeVerifyCommand.class
        })
public final class SmimeCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand (sign, encrypt, decrypt, verify)");
    }
}
