package dev.mailsec.cli.dkm;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code dkm group create|add|remove|members}. */
@Command(
        name = "group",
        mixinStandardHelpOptions = true,
        description = "Manage groups and their members.",
        subcommands = {
            GroupCommand.Create.class,
            GroupCommand.Add.class,
            GroupCommand.Remove.class,
            GroupCommand.Members.class
        })
final class GroupCommand implements Runnable {
    @ParentCommand DkmCommand dkm;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a group with a new keyset.")
    static final class Create implements Runnable {
        @ParentCommand GroupCommand parent;

        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        km.createGroup(group);
                        parent.dkm.out().println("group " + group + " created");
                    });
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Make a service identity a member (seals the group keyset to it).")
    static final class Add implements Runnable {
        @ParentCommand GroupCommand parent;

        @Parameters(index = "0", paramLabel = "GROUP")
        String group;

        @Parameters(index = "1", paramLabel = "IDENTITY")
        String identity;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        km.addMember(group, identity);
                        parent.dkm.out().println(identity + " is now a member of " + group);
                    });
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Remove a member and roll the group keyset over.")
    static final class Remove implements Runnable {
        @ParentCommand GroupCommand parent;

        @Parameters(index = "0", paramLabel = "GROUP")
        String group;

        @Parameters(index = "1", paramLabel = "IDENTITY")
        String identity;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        int n = km.removeMember(group, identity);
                        parent.dkm
                                .out()
                                .println(
                                        identity
                                                + " removed from "
                                                + group
                                                + "; keyset rolled over, "
                                                + n
                                                + " data keys re-wrapped");
                    });
        }
    }

    @Command(
            name = "members",
            mixinStandardHelpOptions = true,
            description = "List a group's members.")
    static final class Members implements Runnable {
        @ParentCommand GroupCommand parent;

        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        for (String m : km.members(group)) {
                            parent.dkm.out().println(m);
                        }
                    });
        }
    }
}
