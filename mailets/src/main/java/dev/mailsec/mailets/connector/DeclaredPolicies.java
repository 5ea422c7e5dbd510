package dev.mailsec.mailets.connector;

import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.tls.connector.ConnectorRoutes;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import dev.mailsec.tls.connector.LiveConnectors;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import javax.mail.MessagingException;
import org.apache.james.filesystem.api.FileSystem;

/**
 * The start-time check that every connector of a connectors file is enforced by the James that
 * loads it ({@link ConnectorRoutes}), against the configuration James started with: its working
 * directory comes from James's {@link FileSystem}, injected into the mailet. Without one (a mailet
 * run outside James, as in unit tests) there is no James configuration to check and nothing is
 * checked.
 */
final class DeclaredPolicies {

    private DeclaredPolicies() {}

    static void requireEnforced(
            String mailet, FileSystem fileSystem, Connectors connectors, Path connectorsFile)
            throws MessagingException {
        if (fileSystem == null) {
            return;
        }
        try {
            ConnectorRoutes.requireEnforced(
                    connectors, connectorsFile, fileSystem.getBasedir().toPath());
        } catch (FileNotFoundException e) {
            throw new MessagingException(
                    mailet + ": cannot find James's working directory: " + e.getMessage(), e);
        } catch (InvalidConnectorsException e) {
            throw new MessagingException(mailet + ": " + e.getMessage(), e);
        }
    }

    /**
     * As above for the generation in force of a reloadable connectors file, and for every later
     * one: a reload that would leave a connector unenforced is refused ({@link
     * LiveConnectors#requireEnforced}).
     */
    static void requireEnforced(
            String mailet, FileSystem fileSystem, ReloadableFile<Connectors> live)
            throws MessagingException {
        requireEnforced(mailet, fileSystem, live.current().value(), live.file());
        if (fileSystem == null) {
            return;
        }
        try {
            LiveConnectors.requireEnforced(live, fileSystem.getBasedir().toPath());
            live.watch();
        } catch (FileNotFoundException e) {
            throw new MessagingException(
                    mailet + ": cannot find James's working directory: " + e.getMessage(), e);
        }
    }
}
