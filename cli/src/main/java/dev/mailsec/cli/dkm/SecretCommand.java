package dev.mailsec.cli.dkm;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code dkm secret put|get|rotate|promote|destroy|list|export}: the subcommands are in {@link
 * SecretWriteCommands} and {@link SecretReadCommands}, what they read from stdin in {@link
 * SecretInput}.
 */
@Command(
        name = "secret",
        mixinStandardHelpOptions = true,
        description = "Store, read and roll over secrets.",
        subcommands = {
            SecretWriteCommands.Put.class,
            SecretReadCommands.Get.class,
            SecretWriteCommands.Rotate.class,
            SecretWriteCommands.Promote.class,
            SecretWriteCommands.Destroy.class,
            SecretReadCommands.ListSecrets.class,
            SecretReadCommands.Export.class
        })
final class SecretCommand implements Runnable {
    @ParentCommand DkmCommand dkm;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }
}
