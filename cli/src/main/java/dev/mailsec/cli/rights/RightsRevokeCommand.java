package dev.mailsec.cli.rights;

import dev.mailsec.cli.UserException;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import dev.mailsec.rights.RightsStoreUnavailableException;
import dev.mailsec.rights.StoredMessage;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec rights revoke MESSAGE-ID|LICENCE-ID [--reason TEXT]}: nobody can open it any
 * more.
 */
@Command(
        name = "revoke",
        mixinStandardHelpOptions = true,
        description =
                "Revoke a protected message (every protection of a Message-ID, or one licence): it can no longer"
                        + " be opened in the portal, by transport decryption or with 'rights open'.")
public final class RightsRevokeCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin RightsConfigOption config;

    @Parameters(
            paramLabel = "MESSAGE-ID|LICENCE-ID",
            description = "Message-ID (with or without <>) or licence id.")
    String id;

    @Option(
            names = "--reason",
            paramLabel = "TEXT",
            defaultValue = "",
            description = "Why (kept in the access log).")
    String reason;

    @Option(
            names = "--by",
            paramLabel = "NAME",
            description = "Who revokes (default: admin:<login name>).")
    String by;

    @Override
    public Integer call() {
        RightsSettings s = config.load();
        PrintWriter out = spec.commandLine().getOut();
        String who = by != null ? by : "admin:" + System.getProperty("user.name", "unknown");
        try (RightsStore store = RightsConfigOption.openStore(s)) {
            List<StoredMessage> found = store.findAll(id);
            if (found.isEmpty()) {
                throw new UserException(
                        "no protected message with Message-ID or licence id '" + id + "'", 1);
            }
            boolean newly = store.revoke(id, who, reason);
            for (StoredMessage m : store.findAll(id)) {
                out.println(
                        m.licenceId()
                                + " <"
                                + m.messageId()
                                + "> from "
                                + m.sender()
                                + ": revoked "
                                + m.revocation().map(r -> r.at() + " by " + r.by()).orElse("?"));
            }
            if (!newly) {
                out.println("(already revoked)");
            }
        } catch (RightsStoreUnavailableException e) {
            throw new UserException("temporarily unavailable: " + e.getMessage(), 75);
        }
        out.flush();
        return 0;
    }
}
