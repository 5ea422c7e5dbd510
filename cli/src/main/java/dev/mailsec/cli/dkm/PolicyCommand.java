package dev.mailsec.cli.dkm;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.DkmPolicy;
import dev.mailsec.dkm.SecretKind;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code dkm policy show|set}: the store-wide rollover and access policy. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description =
                "Show or change the rollover and elevated-access policy (set: admin, audited).",
        subcommands = {PolicyCommand.Show.class, PolicyCommand.Set.class})
final class PolicyCommand implements Runnable {
    static final String KINDS =
            "group-keyset, key-pair, symmetric, opaque, promote-delay, max-grant, approvals";

    @ParentCommand DkmCommand dkm;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Print the policy, one setting a line.")
    static final class Show implements Runnable {
        @ParentCommand PolicyCommand parent;

        @Override
        public void run() {
            parent.dkm.inSession(
                    km -> {
                        DkmPolicy p = km.policy();
                        parent.dkm
                                .out()
                                .println("group-keyset  " + period(p.groupKeysetRollover()));
                        parent.dkm
                                .out()
                                .println(
                                        "key-pair      "
                                                + period(p.rolloverOf(SecretKind.KEY_PAIR)));
                        parent.dkm
                                .out()
                                .println(
                                        "symmetric     "
                                                + period(p.rolloverOf(SecretKind.SYMMETRIC)));
                        parent.dkm
                                .out()
                                .println(
                                        "opaque        " + period(p.rolloverOf(SecretKind.OPAQUE)));
                        parent.dkm
                                .out()
                                .println("promote-delay " + period(p.keyPairPromoteDelay()));
                        parent.dkm.out().println("max-grant     " + period(p.maxGrant()));
                        parent.dkm.out().println("approvals     " + p.approvalsRequired());
                    });
        }
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = {
                "Change one setting. KIND: "
                        + KINDS
                        + ". PERIOD: 30d, 12h, 90m or ISO-8601 (P30D);"
                        + " 'never' turns a rollover off; rollovers are whole days, the promote delay whole hours;"
                        + " for approvals a number."
            })
    static final class Set implements Runnable {
        @ParentCommand PolicyCommand parent;

        @Parameters(index = "0", paramLabel = "KIND")
        String kind;

        @Parameters(index = "1", paramLabel = "PERIOD")
        String value;

        @Override
        public void run() {
            String k = kind.toLowerCase(Locale.ROOT);
            if (!Arrays.asList(KINDS.split(", ")).contains(k)) {
                throw new UserException("KIND: one of " + KINDS + ", got '" + kind + "'", 2);
            }
            parent.dkm.inSession(
                    km -> {
                        DkmPolicy p = km.policy();
                        Duration gk = p.groupKeysetRollover();
                        Duration kp = p.rolloverOf(SecretKind.KEY_PAIR);
                        Duration sym = p.rolloverOf(SecretKind.SYMMETRIC);
                        Duration op = p.rolloverOf(SecretKind.OPAQUE);
                        Duration delay = p.keyPairPromoteDelay();
                        Duration maxGrant = p.maxGrant();
                        int approvals = p.approvalsRequired();
                        switch (k) {
                            case "group-keyset":
                                gk = rollover(value);
                                break;
                            case "key-pair":
                                kp = rollover(value);
                                break;
                            case "symmetric":
                                sym = rollover(value);
                                break;
                            case "opaque":
                                op = rollover(value);
                                break;
                            case "promote-delay":
                                delay = parse(value, false);
                                if (delay.isNegative()
                                        || delay.toMinutes() % 60 != 0
                                        || delay.getNano() != 0
                                        || delay.getSeconds() % 60 != 0) {
                                    throw new UserException(
                                            "PERIOD: the promote delay is whole hours (e.g. 48h or 0h), got '"
                                                    + value
                                                    + "'",
                                            2);
                                }
                                break;
                            case "max-grant":
                                maxGrant = parse(value, false);
                                if (maxGrant.isZero()
                                        || maxGrant.isNegative()
                                        || maxGrant.getNano() != 0) {
                                    throw new UserException(
                                            "PERIOD: the longest grant must be positive whole seconds, got '"
                                                    + value
                                                    + "'",
                                            2);
                                }
                                break;
                            default:
                                try {
                                    approvals = Integer.parseInt(value);
                                } catch (NumberFormatException e) {
                                    approvals = 0;
                                }
                                if (approvals < 1) {
                                    throw new UserException(
                                            "approvals: a whole number of at least 1, got '"
                                                    + value
                                                    + "'",
                                            2);
                                }
                                break;
                        }
                        DkmPolicy next = new DkmPolicy(gk, kp, sym, op, delay, approvals, maxGrant);
                        km.setPolicy(next);
                        parent.dkm
                                .out()
                                .println(
                                        "policy "
                                                + k
                                                + " set to "
                                                + value
                                                + " (was "
                                                + ("approvals".equals(k)
                                                        ? String.valueOf(p.approvalsRequired())
                                                        : describe(p, k))
                                                + ")");
                    });
        }
    }

    private static String describe(DkmPolicy p, String k) {
        switch (k) {
            case "group-keyset":
                return period(p.groupKeysetRollover());
            case "key-pair":
                return period(p.rolloverOf(SecretKind.KEY_PAIR));
            case "symmetric":
                return period(p.rolloverOf(SecretKind.SYMMETRIC));
            case "opaque":
                return period(p.rolloverOf(SecretKind.OPAQUE));
            case "promote-delay":
                return period(p.keyPairPromoteDelay());
            default:
                return period(p.maxGrant());
        }
    }

    /** A rollover period: whole days, or null for "never". */
    static Duration rollover(String value) {
        Duration d = parse(value, true);
        if (d != null
                && (d.isZero()
                        || d.isNegative()
                        || d.getSeconds() % 86400 != 0
                        || d.getNano() != 0)) {
            throw new UserException(
                    "PERIOD: a rollover is a positive whole number of days (e.g. 30d) or never,"
                            + " got '"
                            + value
                            + "'",
                    2);
        }
        return d;
    }

    /** 30d, 12h, 90m, 45s, ISO-8601 (P30D, PT12H) or, if allowed, never (null). */
    static Duration parse(String value, boolean neverAllowed) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (neverAllowed && "never".equals(v)) {
            return null;
        }
        try {
            if (v.matches("\\d{1,9}[dhms]")) {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                switch (v.charAt(v.length() - 1)) {
                    case 'd':
                        return Duration.ofDays(n);
                    case 'h':
                        return Duration.ofHours(n);
                    case 'm':
                        return Duration.ofMinutes(n);
                    default:
                        return Duration.ofSeconds(n);
                }
            }
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new UserException(
                    "PERIOD: expected e.g. 30d, 12h, P30D"
                            + (neverAllowed ? " or never" : "")
                            + ", got '"
                            + value
                            + "'",
                    2);
        }
    }

    static String period(Duration d) {
        if (d == null) {
            return "never";
        }
        if (!d.isZero() && d.getSeconds() % 86400 == 0) {
            return (d.getSeconds() / 86400) + "d";
        }
        if (d.getSeconds() % 3600 == 0) {
            return (d.getSeconds() / 3600) + "h";
        }
        return d.getSeconds() + "s";
    }
}
