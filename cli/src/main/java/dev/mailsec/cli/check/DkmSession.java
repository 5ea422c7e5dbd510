package dev.mailsec.cli.check;

import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretHandle;
import dev.mailsec.dkm.SecretInfo;
import dev.mailsec.dkm.spi.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One DKM client configuration of the installation ({@code dkm.properties}), opened as the identity
 * it names, as the mailets open it: reachable or not, the secrets it lists, and reads of the
 * secrets the configuration needs (each read is audited in DKM like a mailet's).
 */
final class DkmSession implements AutoCloseable {
    private final String what;
    private final Storage storage;
    private final KeyManager km;
    private final List<String> names = new ArrayList<>();

    private DkmSession(String what, Storage storage, KeyManager km) {
        this.what = what;
        this.storage = storage;
        this.km = km;
    }

    /**
     * Opens {@code file}, reporting whether the store is reachable with its identity; empty if not.
     */
    static Optional<DkmSession> open(Path file, String shown, Report report) {
        String what = "dkm " + shown;
        Storage storage = null;
        try {
            DkmConfig config = DkmConfig.load(file);
            if (config.identity().isEmpty()) {
                report.error(what, "identity: required (path of this node's credential file)");
                return Optional.empty();
            }
            Credential credential = Credential.load(config.identity().get());
            storage = config.openStorage(false);
            KeyManager km = KeyManager.open(storage, null, credential, Clock.systemUTC());
            DkmSession session = new DkmSession(what, storage, km);
            for (SecretInfo info : km.list()) {
                session.names.add(info.name());
            }
            report.ok(
                    what
                            + ": store "
                            + config.store()
                            + " reachable as "
                            + km.identity()
                            + " ("
                            + session.names.size()
                            + " secrets)");
            return Optional.of(session);
        } catch (DkmException | RuntimeException e) {
            closeQuietly(storage);
            report.error(what, Report.message(e));
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return what;
    }

    /** Names of every secret in the store (no values). */
    List<String> names() {
        return names;
    }

    /** Reads {@code name} as this identity, reporting whether it exists and is readable. */
    Optional<SecretHandle> read(String name, String neededBy, Report report) {
        String secret = "secret " + name + " (" + neededBy + ")";
        if (!names.contains(name)) {
            report.error(secret, "no such secret in DKM (" + what + ")");
            return Optional.empty();
        }
        try {
            SecretHandle handle = km.get(name);
            report.ok(secret + ": readable by " + km.identity());
            return Optional.of(handle);
        } catch (DkmException | RuntimeException e) {
            report.error(secret, "not readable by " + km.identity() + ": " + Report.message(e));
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        km.close();
        closeQuietly(storage);
    }

    private static void closeQuietly(Storage storage) {
        if (storage != null) {
            try {
                storage.close();
            } catch (IOException e) {
                // the check is over; nothing was written through this handle but audit records
            }
        }
    }
}
