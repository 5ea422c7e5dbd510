package dev.mailsec.cli.rights;

import dev.mailsec.cli.UserException;
import dev.mailsec.config.PackPaths;
import dev.mailsec.dkm.spi.StoreFormatException;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import dev.mailsec.rights.RightsStoreUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --james-home DIR} and {@code --config FILE}: the rights.xml to use (default {@code
 * $MAILSEC_RIGHTS_CONFIG}, else conf/rights.xml), read as James reads it (docs/paths.md): the file
 * and every relative path inside it (the store, the DKM client configuration, and the paths inside
 * that) resolve against the James home. The command sets only {@code working.directory}, the
 * property James's launcher sets and {@link PackPaths} and the key manager read; without {@code
 * --james-home} they use the current directory.
 */
final class RightsConfigOption {
    static final String ENV = "MAILSEC_RIGHTS_CONFIG";

    @Option(
            names = "--james-home",
            paramLabel = "DIR",
            description =
                    "James's home: --config and every relative path inside it resolve against it, as inside"
                            + " James (default: the current directory).")
    Path jamesHome;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "rights.xml (default: $"
                            + ENV
                            + ", else "
                            + RightsSettings.DEFAULT_CONFIG
                            + "), relative to --james-home.")
    String config;

    Path path() {
        if (jamesHome != null) {
            if (!Files.isDirectory(jamesHome)) {
                throw new UserException("--james-home: not a folder: " + jamesHome, 2);
            }
            System.setProperty(
                    PackPaths.WORKING_DIRECTORY, jamesHome.toAbsolutePath().normalize().toString());
        }
        String env = System.getenv(ENV);
        String file =
                config != null
                        ? config
                        : env != null && !env.isEmpty() ? env : RightsSettings.DEFAULT_CONFIG;
        try {
            return PackPaths.resolve(file);
        } catch (IllegalArgumentException e) {
            throw new UserException("--config: " + e.getMessage(), 2);
        }
    }

    boolean exists() {
        return Files.isRegularFile(path());
    }

    RightsSettings load() {
        Path p = path();
        if (!Files.isRegularFile(p)) {
            throw new UserException("--config: no rights configuration at " + p, 2);
        }
        try {
            return RightsSettings.load(p);
        } catch (IllegalArgumentException e) {
            throw new UserException(p + ": " + e.getMessage(), 2);
        }
    }

    static RightsStore openStore(RightsSettings s) {
        try {
            return RightsStore.open(s);
        } catch (RightsStoreUnavailableException e) {
            if (e.getCause() instanceof StoreFormatException) {
                // written by a newer mailsec: no retry helps, so not 75
                throw new UserException(e.getMessage(), 1);
            }
            throw new UserException("temporarily unavailable: " + e.getMessage(), 75);
        }
    }
}
