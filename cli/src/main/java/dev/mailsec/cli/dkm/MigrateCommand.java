package dev.mailsec.cli.dkm;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.DkmAccessDeniedException;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.store.JdbcStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code dkm migrate --to jdbc:postgresql://...}: copies every record and the audit log, byte for
 * byte (everything is already encrypted), into an empty PostgreSQL schema. Run it with James
 * stopped.
 */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = "Copy the store into an empty PostgreSQL schema (then point store= at it).")
final class MigrateCommand implements Runnable {
    @ParentCommand DkmCommand dkm;

    @Option(names = "--to", required = true, paramLabel = "URL")
    String to;

    @Option(names = "--schema", defaultValue = "mailsec_dkm")
    String schema;

    @Override
    public void run() {
        // only an admin may do this: check the credential against the source store first
        dkm.inSession(
                km -> {
                    if (!km.isAdmin()) {
                        throw new DkmAccessDeniedException(
                                "'" + km.identity() + "' is not an admin");
                    }
                });
        DkmConfig cfg = dkm.config();
        Storage from = null;
        Storage target = null;
        try {
            from = cfg.openStorage(false);
            target = JdbcStorage.open(to, schema);
            int n = KeyManager.copyStore(from, target);
            dkm.out().println(n + " records and the audit log copied to schema " + schema + ".");
            dkm.out()
                    .println(
                            "Now set in "
                                    + dkm.propertiesFile()
                                    + " and every node's dkm.properties:");
            dkm.out().println("  store=" + to);
            dkm.out().println("  store.schema=" + schema);
        } catch (DkmException e) {
            throw DkmCommand.toUser(e);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), 2);
        } finally {
            DkmCommand.closeQuietly(from);
            DkmCommand.closeQuietly(target);
        }
    }
}
