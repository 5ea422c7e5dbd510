package dev.mailsec.cli.dkm;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code dkm root rotate|destroy}. */
@Command(name = "root", mixinStandardHelpOptions = true, description = "Rotate or destroy root keys (admin).",
    subcommands = {RootCommand.Rotate.class, RootCommand.Destroy.class})
final class RootCommand implements Runnable {
  @ParentCommand DkmCommand dkm;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = "New root key; re-wraps group keysets and audit keys (secret data untouched).")
  static final class Rotate implements Runnable {
    @ParentCommand RootCommand parent;

    @Override
    public void run() {
      parent.dkm.inSession(km -> {
        String old = km.rotateRoot();
        parent.dkm.out().println("root key rotated; the old key " + old + " is no longer used."
            + " Destroy it with: root destroy " + old);
      });
    }
  }

  @Command(name = "destroy", mixinStandardHelpOptions = true,
      description = "Destroy a root key that nothing references any more.")
  static final class Destroy implements Runnable {
    @ParentCommand RootCommand parent;
    @Parameters(paramLabel = "ID") String id;

    @Override
    public void run() {
      parent.dkm.inSession(km -> {
        km.destroyRootKey(id);
        parent.dkm.out().println("root key " + id + " destroyed");
      });
    }
  }
}
