package dev.mailsec.cli.dkm;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.spi.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * One key-manager session on a DKM directory ({@code --store}) as a credential ({@code
 * --identity}), for commands outside {@code ./mailsec dkm} that create or use keys ({@code dkim
 * keygen|rotate|sign}, {@code rights init}). DKM failures become the same one-line user errors and
 * exit codes as in {@code ./mailsec dkm}; the storage is closed on every way out.
 */
public final class DkmStoreSession {

    /** What runs inside the session. */
    public interface Action {
        void run(KeyManager km) throws DkmException;
    }

    private DkmStoreSession() {}

    /**
     * Opens the DKM at {@code dir} (its {@code dkm.properties}) as {@code identity}, runs {@code
     * action}, closes it.
     */
    public static void run(Path dir, Path identity, Action action) {
        Path props = dir.resolve("dkm.properties");
        if (!Files.isRegularFile(props)) {
            throw new UserException(
                    "--store: no DKM at " + dir + " (missing dkm.properties; run dkm init)", 2);
        }
        Storage storage = null;
        try {
            DkmConfig cfg = DkmConfig.load(props, dir);
            storage = cfg.openStorage(false);
            try (KeyManager km =
                    KeyManager.open(
                            storage,
                            cfg.openRootKeys().orElse(null),
                            Credential.load(identity),
                            Clock.systemUTC())) {
                action.run(km);
            }
        } catch (DkmException e) {
            throw DkmCommand.toUser(e);
        } finally {
            DkmCommand.closeQuietly(storage);
        }
    }
}
