package dev.mailsec.cli.rights;

import dev.mailsec.cli.UserException;
import dev.mailsec.rights.AccessEvent;
import dev.mailsec.rights.Right;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import dev.mailsec.rights.RightsStoreUnavailableException;
import dev.mailsec.rights.StoredMessage;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec rights log MESSAGE-ID|LICENCE-ID}: who opened what, when and from where. A
 * sender's log id ({@code sender-} and 40 hex digits, {@link RightsStore#senderLogId}) shows the
 * sender's sign-ins to the portal's sender pages.
 */
@Command(
        name = "log",
        mixinStandardHelpOptions = true,
        description =
                "Show a protected message's licence and access log: time, event, address, channel, client, detail.")
public final class RightsLogCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin RightsConfigOption config;

    @Parameters(
            paramLabel = "MESSAGE-ID|LICENCE-ID",
            description =
                    "Message-ID (with or without <>), licence id, or a sender's log id"
                            + " (sender-<40 hex digits>: sign-ins to the portal's sender pages).")
    String id;

    @Override
    public Integer call() {
        RightsSettings s = config.load();
        PrintWriter out = spec.commandLine().getOut();
        try (RightsStore store = RightsConfigOption.openStore(s)) {
            List<StoredMessage> found = store.findAll(id);
            boolean senderLog = found.isEmpty() && id.matches("sender-[0-9a-f]{40}");
            if (senderLog) {
                out.println("sender pages sign-ins, log " + id);
            } else if (found.isEmpty()) {
                throw new UserException(
                        "no protected message with Message-ID or licence id '" + id + "'", 1);
            }
            for (StoredMessage m : found) {
                out.println(
                        "licence "
                                + m.licenceId()
                                + "  <"
                                + m.messageId()
                                + ">  from "
                                + m.sender()
                                + "  to "
                                + String.join(", ", m.recipients()));
                out.println(
                        "  template "
                                + m.template()
                                + " ("
                                + tokens(m)
                                + "), protected "
                                + m.created()
                                + m.expires().map(e -> ", expires " + e).orElse("")
                                + m.revocation()
                                        .map(
                                                r ->
                                                        ", REVOKED "
                                                                + r.at()
                                                                + " by "
                                                                + r.by()
                                                                + (r.reason().isEmpty()
                                                                        ? ""
                                                                        : " (" + r.reason() + ")"))
                                        .orElse(""));
            }
            out.printf(
                    "%-24s %-21s %-28s %-9s %-22s %s%n",
                    "TIME", "EVENT", "ADDRESS", "CHANNEL", "CLIENT", "DETAIL");
            for (AccessEvent e : store.events(id)) {
                out.printf(
                        "%-24s %-21s %-28s %-9s %-22s %s%n",
                        e.time(),
                        e.type(),
                        dash(e.address()),
                        e.channel() == null ? "-" : e.channel().name().toLowerCase(Locale.ROOT),
                        dash(e.client()),
                        e.detail());
            }
        } catch (RightsStoreUnavailableException e) {
            throw new UserException("temporarily unavailable: " + e.getMessage(), 75);
        }
        out.flush();
        return 0;
    }

    private static String tokens(StoredMessage m) {
        StringBuilder sb = new StringBuilder();
        for (Right r : Right.values()) {
            if (m.rights().contains(r)) {
                sb.append(sb.length() == 0 ? "" : ",").append(r.token());
            }
        }
        return sb.toString();
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
