package dev.mailsec.cli.rights;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.spi.StoreFormatException;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import dev.mailsec.rights.RightsStoreUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import picocli.CommandLine.Option;

/** {@code --config FILE}: the rights.xml to use (default {@code $MAILSEC_RIGHTS_CONFIG}, else conf/rights.xml). */
final class RightsConfigOption {
  static final String ENV = "MAILSEC_RIGHTS_CONFIG";

  @Option(names = "--config", paramLabel = "FILE",
      description = "rights.xml (default: $" + ENV + ", else conf/rights.xml).")
  Path config;

  Path path() {
    if (config != null) {
      return config;
    }
    String env = System.getenv(ENV);
    return env != null && !env.isEmpty() ? Paths.get(env) : Paths.get("conf/rights.xml");
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
