package dev.mailsec.cli.dkm;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.DkmAccessDeniedException;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.root.RootKeys;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoreFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code ./mailsec dkm ...}: the key manager's operator commands. {@code --store PATH} is the
 * directory made by {@code init} (it holds {@code dkm.properties}, the file store or a pointer to
 * PostgreSQL, the root keys and new credential files); {@code --identity FILE} is the caller's
 * credential.
 */
@Command(
        name = "dkm",
        mixinStandardHelpOptions = true,
        description = "Distributed key manager: secrets, groups, elevated access, audit, rotation.",
        subcommands = {
            InitCommand.class,
            IdentityCommand.class,
            GroupCommand.class,
            SecretCommand.class,
            AccessCommand.class,
            AuditCommand.class,
            RootCommand.class,
            RotateCommand.class,
            PolicyCommand.class,
            MigrateCommand.class,
            CommandLine.HelpCommand.class
        })
public final class DkmCommand implements Runnable {
    /** Exit code for temporary failures (sysexits EX_TEMPFAIL): retry later. */
    static final int TEMPFAIL = 75;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--store",
            scope = ScopeType.INHERIT,
            paramLabel = "PATH",
            description = "DKM directory made by init (default: ${DEFAULT-VALUE})",
            defaultValue = "dkm")
    Path store;

    @Option(
            names = "--identity",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "credential file of the identity running the command")
    Path identity;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    Path propertiesFile() {
        return store.resolve("dkm.properties");
    }

    DkmConfig config() {
        Path p = propertiesFile();
        if (!Files.isRegularFile(p)) {
            throw new UserException(
                    "--store: no DKM at " + store + " (missing dkm.properties; run dkm init)", 2);
        }
        try {
            return DkmConfig.load(p, store);
        } catch (DkmInvalidRequestException e) {
            throw new UserException(e.getMessage(), 2);
        }
    }

    /** A session as the --identity, with the root key when the store's configuration names one. */
    Session open() {
        if (identity == null) {
            throw new UserException(
                    "--identity: required (the credential file of who runs this command)", 2);
        }
        DkmConfig cfg = config();
        Storage storage = null;
        try {
            Credential cred = Credential.load(identity);
            storage = cfg.openStorage(false);
            Optional<RootKeys> root = cfg.openRootKeys();
            warnIfRootKeyInside(cfg);
            return new Session(
                    storage, KeyManager.open(storage, root.orElse(null), cred, Clock.systemUTC()));
        } catch (DkmException e) {
            closeQuietly(storage);
            throw toUser(e);
        } catch (RuntimeException e) {
            closeQuietly(storage);
            throw e;
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * Stores made before the root key's default moved out of the DKM directory still work, with a
     * warning.
     */
    void warnIfRootKeyInside(DkmConfig cfg) {
        Optional<String> root = cfg.rootKey();
        if (root.isPresent() && root.get().startsWith("file:")) {
            Path keys = Paths.get(root.get().substring(5)).toAbsolutePath().normalize();
            Path dir = store.toAbsolutePath().normalize();
            if (keys.startsWith(dir)) {
                err().println(
                                "warning: the root key directory "
                                        + keys
                                        + " is inside the DKM directory "
                                        + dir
                                        + ": a copy of the directory carries its own root key; move it elsewhere and set rootKey=file:"
                                        + " (docs/dkm.md, Hostile input / tampering)");
            }
        }
    }

    static UserException toUser(DkmException e) {
        if (e instanceof StoreFormatException) {
            // written by a newer mailsec: no retry helps, so not 75
            return new UserException(e.getMessage(), 1);
        }
        if (e instanceof DkmUnavailableException) {
            return new UserException("temporarily unavailable: " + e.getMessage(), TEMPFAIL);
        }
        if (e instanceof DkmAccessDeniedException) {
            return new UserException("refused: " + e.getMessage(), 1);
        }
        if (e instanceof DkmInvalidRequestException) {
            return new UserException(e.getMessage(), 2);
        }
        return new UserException("integrity failure: " + e.getMessage(), 1);
    }

    static void closeQuietly(Storage s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing on the way out
            }
        }
    }

    static Path resolve(Path base, String p) {
        Path path = Paths.get(p);
        return path.isAbsolute() ? path : base.resolve(path);
    }

    /** A key manager session plus the storage it owns. */
    static final class Session implements AutoCloseable {
        final Storage storage;
        final KeyManager km;

        Session(Storage storage, KeyManager km) {
            this.storage = storage;
            this.km = km;
        }

        @Override
        public void close() {
            km.close();
            closeQuietly(storage);
        }
    }

    /** Body of a subcommand that runs in a session; DKM failures become one-line user errors. */
    interface Action {
        void run(KeyManager km) throws DkmException;
    }

    void inSession(Action action) {
        try (Session s = open()) {
            action.run(s.km);
        } catch (DkmException e) {
            throw toUser(e);
        }
    }
}
