package dev.mailsec.cli.dkm;

import dev.mailsec.cli.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code dkm root rotate|destroy|shred}. */
@Command(
        name = "root",
        mixinStandardHelpOptions = true,
        description = "Rotate or destroy root keys, or crypto-shred the whole store (admin).",
        subcommands = {
            RootCommand.Rotate.class,
            RootCommand.Destroy.class,
            RootCommand.Shred.class
        })
final class RootCommand implements Runnable {
    @ParentCommand DkmCommand dkm;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description =
                    "New root key; re-wraps group keysets and audit keys (secret data untouched).")
    static final class Rotate implements Runnable {
        @ParentCommand RootCommand parent;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        String old = km.rotateRoot();
                        parent.dkm
                                .out()
                                .println(
                                        "root key rotated; the old key "
                                                + old
                                                + " is no longer used."
                                                + " Destroy it with: root destroy "
                                                + old);
                    });
        }
    }

    @Command(
            name = "destroy",
            mixinStandardHelpOptions = true,
            description = "Destroy a root key that nothing references any more.")
    static final class Destroy implements Runnable {
        @ParentCommand RootCommand parent;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        km.destroyRootKey(id);
                        parent.dkm.out().println("root key " + id + " destroyed");
                    });
        }
    }

    @Command(
            name = "shred",
            mixinStandardHelpOptions = true,
            description = {
                "Crypto-shred: remove every member's and grantee's sealed keyset copy and destroy the"
                        + " current root key. Nothing in the store can be decrypted afterwards. Irreversible."
            })
    static final class Shred implements Runnable {
        @ParentCommand RootCommand parent;

        @Option(
                names = "--yes-destroy-everything",
                description = "Required: confirms that every secret is lost.")
        boolean confirmed;

        @Option(
                names = "--reason",
                required = true,
                description = "Why (recorded in the audit log).")
        String reason;

        @Override
        public void run() {
            if (!confirmed) {
                throw new UserException(
                        "refused: root shred makes every secret in the store unrecoverable;"
                                + " add --yes-destroy-everything to do it",
                        1);
            }
            parent.dkm.inSession(
                    km -> {
                        km.shred(reason);
                        parent.dkm
                                .out()
                                .println(
                                        "store shredded: the root key is destroyed and no sealed keyset copy is"
                                                + " left; nothing in it can be decrypted any more");
                    });
        }
    }
}
