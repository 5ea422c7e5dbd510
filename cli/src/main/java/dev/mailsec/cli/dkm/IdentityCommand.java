package dev.mailsec.cli.dkm;

import dev.mailsec.dkm.IdentityType;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code dkm identity create NAME [--person] [--admin]}. */
@Command(
        name = "identity",
        mixinStandardHelpOptions = true,
        description = "Manage identities.",
        subcommands = {IdentityCommand.Create.class})
final class IdentityCommand implements Runnable {
    @ParentCommand DkmCommand dkm;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "Create a service identity (or a person with --person); writes and prints its credential file.")
    static final class Create implements Runnable {
        @ParentCommand IdentityCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = "--person",
                description = "a person (reaches secrets only through elevated access)")
        boolean person;

        @Option(
                names = "--admin",
                description = "may manage identities, groups, policies and approve requests")
        boolean admin;

        @Option(
                names = "--out",
                paramLabel = "FILE",
                description = "credential file (default: PATH/credentials/NAME.cred)")
        Path out;

        @Override
        public void run() {
            DkmCommand dkm = parent.dkm;
            Path file =
                    out != null ? out : dkm.store.resolve("credentials").resolve(name + ".cred");
            dkm.inSession(
                    km -> {
                        km.createIdentity(
                                name,
                                person ? IdentityType.PERSON : IdentityType.SERVICE,
                                admin,
                                file);
                        dkm.out()
                                .println(
                                        "identity "
                                                + name
                                                + " created ("
                                                + (person ? "person" : "service")
                                                + (admin ? ", admin" : "")
                                                + ")");
                        dkm.out().println("credential: " + file.toAbsolutePath());
                    });
        }
    }
}
