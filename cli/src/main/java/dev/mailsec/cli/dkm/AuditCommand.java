package dev.mailsec.cli.dkm;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.AuditVerification;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dkm audit verify|tail}. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Check and read the audit log (admin).",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Tail.class})
final class AuditCommand implements Runnable {
    @ParentCommand DkmCommand dkm;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Check the hash chain, MACs and head checkpoint; names the first changed, removed or"
                        + " reordered record and records removed from the end. Prints the head (SEQ:HASH): note it"
                        + " off the host."
            })
    static final class Verify implements Runnable {
        @ParentCommand AuditCommand parent;

        @Option(
                names = "--expect-head",
                paramLabel = "SEQ:HASH",
                description =
                        "Fail unless the log still holds this record (a head printed by an earlier verify):"
                                + " detects a rollback of the log together with its checkpoint.")
        String expectHead;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        AuditVerification v = km.verifyAudit(expectHead);
                        if (!v.intact()) {
                            throw new UserException(v.toString(), 1);
                        }
                        parent.dkm.out().println(v);
                    });
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true, description = "Show the last records.")
    static final class Tail implements Runnable {
        @ParentCommand AuditCommand parent;

        @Option(
                names = {"-n", "--lines"},
                defaultValue = "20")
        int lines;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        for (String l : km.tailAudit(lines)) {
                            parent.dkm.out().println(l);
                        }
                    });
        }
    }
}
