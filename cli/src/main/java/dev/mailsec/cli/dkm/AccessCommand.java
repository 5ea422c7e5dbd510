package dev.mailsec.cli.dkm;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.AccessRequest;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code dkm access request|approve|deny|list}: elevated access for people. */
@Command(
        name = "access",
        mixinStandardHelpOptions = true,
        description = "Elevated, temporary access for people.",
        subcommands = {
            AccessCommand.Request.class,
            AccessCommand.Approve.class,
            AccessCommand.Deny.class,
            AccessCommand.ListRequests.class
        })
final class AccessCommand implements Runnable {
    @ParentCommand DkmCommand dkm;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    @Command(
            name = "request",
            mixinStandardHelpOptions = true,
            description = "Ask for temporary access to one secret (people only).")
    static final class Request implements Runnable {
        @ParentCommand AccessCommand parent;

        @Parameters(paramLabel = "SECRET")
        String secret;

        @Option(names = "--reason", required = true)
        String reason;

        @Option(
                names = "--duration",
                required = true,
                paramLabel = "DURATION",
                description = "ISO-8601 (PT2H) or minutes followed by m / hours by h (90m, 2h)")
        String duration;

        @Override
        public void run() {
            Duration d = parseDuration(duration);
            parent.dkm.inSession(
                    km -> {
                        String id = km.requestAccess(secret, reason, d);
                        parent.dkm
                                .out()
                                .println(
                                        id
                                                + " requested: "
                                                + secret
                                                + " for "
                                                + d
                                                + " (needs "
                                                + km.policy().approvalsRequired()
                                                + " approvals)");
                    });
        }
    }

    static Duration parseDuration(String s) {
        try {
            if (s.matches("\\d+m")) {
                return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            if (s.matches("\\d+h")) {
                return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            return Duration.parse(s);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new UserException(
                    "--duration: expected e.g. PT2H, 90m or 2h, got '" + s + "'", 2);
        }
    }

    @Command(
            name = "approve",
            mixinStandardHelpOptions = true,
            description = "Approve a request (admin, never the requester).")
    static final class Approve implements Runnable {
        @ParentCommand AccessCommand parent;

        @Parameters(paramLabel = "REQUEST")
        String id;

        @Option(names = "--reason")
        String reason;

        @Override
        public void run() {
            parent.dkm.inSession(km -> parent.dkm.out().println(km.approve(id, reason)));
        }
    }

    @Command(
            name = "deny",
            mixinStandardHelpOptions = true,
            description = "Deny a request (admin).")
    static final class Deny implements Runnable {
        @ParentCommand AccessCommand parent;

        @Parameters(paramLabel = "REQUEST")
        String id;

        @Option(names = "--reason", required = true)
        String reason;

        @Override
        public void run() {
            parent.dkm.inSession(km -> parent.dkm.out().println(km.deny(id, reason)));
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List requests (all for admins, one's own otherwise).")
    static final class ListRequests implements Runnable {
        @ParentCommand AccessCommand parent;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        for (AccessRequest r : km.listRequests()) {
                            parent.dkm.out().println(r);
                        }
                    });
        }
    }
}
