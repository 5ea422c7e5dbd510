package dev.mailsec.cli.dkm;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.spi.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dkm --store PATH init}: a new store, its first root key and a first admin identity. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Create the store, its root key and a first admin (prints the admin's credential path).")
final class InitCommand implements Runnable {
  @ParentCommand DkmCommand dkm;

  @Option(names = "--admin", defaultValue = "admin", description = "name of the first admin (a person)")
  String admin;

  @Option(names = "--backend", paramLabel = "URL",
      description = "jdbc:postgresql://... to keep records in PostgreSQL (default: files under PATH/data)")
  String backend;

  @Option(names = "--schema", defaultValue = "mailsec_dkm", description = "PostgreSQL schema")
  String schema;

  @Option(names = "--pkcs11", paramLabel = "CFG", description = "SunPKCS11 config of the token holding the root key")
  Path pkcs11;

  @Option(names = "--pin-file", paramLabel = "FILE", description = "file with the token's user PIN")
  Path pinFile;

  @Option(names = "--root-keys", paramLabel = "DIR",
      description = "directory of the file root keys (default: PATH-root-keys, next to the DKM directory,"
          + " so that a copy of PATH does not carry its own root key)")
  Path rootKeys;

  @Override
  public void run() {
    Path dir = dkm.store.toAbsolutePath().normalize();
    if (Files.exists(dir.resolve("dkm.properties"))) {
      throw new UserException("--store: " + dir + " already holds a DKM (dkm.properties exists)", 2);
    }
    StringBuilder props = new StringBuilder("# mailsec DKM, created by ./mailsec dkm init\n");
    // absolute, like the root key's path: a client reading this file from anywhere finds the same store
    // (relative paths in a dkm.properties follow James's working directory, docs/paths.md)
    props.append(backend == null ? "store=file:" + dir.resolve("data") + "\n"
        : "store=" + backend + "\nstore.schema=" + schema + "\n");
    if (pkcs11 != null) {
      if (pinFile == null) {
        throw new UserException("--pin-file: required with --pkcs11", 2);
      }
      props.append("rootKey=pkcs11:").append(pkcs11.toAbsolutePath()).append('\n')
          .append("rootKeyPinFile=").append(pinFile.toAbsolutePath()).append('\n');
    } else {
      // outside PATH: a copy of the DKM directory (a backup, a stolen disk image of it) must not carry
      // the key that unwraps it (issue 13, finding 5)
      Path keys = rootKeys != null ? rootKeys.toAbsolutePath().normalize()
          : dir.resolveSibling(dir.getFileName() + "-root-keys");
      if (keys.startsWith(dir)) {
        dkm.err().println("warning: --root-keys " + keys + " is inside the DKM directory " + dir
            + ": a copy of it carries its own root key");
      }
      props.append("rootKey=file:").append(keys).append('\n');
    }
    props.append("cacheTtl=PT5M\n");
    Storage storage = null;
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      Path propsFile = dir.resolve("dkm.properties");
      Files.write(propsFile, props.toString().getBytes(StandardCharsets.UTF_8));
      DkmConfig cfg = DkmConfig.load(propsFile, dir);
      storage = cfg.openStorage(backend == null);
      Path cred = dir.resolve("credentials").resolve(admin + ".cred");
      KeyManager.init(storage, cfg.openRootKeys().get(), admin, cred, Clock.systemUTC()).close();
      dkm.out().println("DKM initialised in " + dir);
      dkm.out().println("admin credential: " + cred);
      dkm.out().println("keep it safe; every command takes --identity " + cred);
    } catch (DkmException e) {
      try {
        Files.deleteIfExists(dir.resolve("dkm.properties"));
      } catch (IOException ignored) {
        // best effort: leave no half-made configuration behind
      }
      throw DkmCommand.toUser(e);
    } catch (IOException e) {
      throw new UserException("cannot create " + dir + ": " + e.getMessage(), 1);
    } finally {
      DkmCommand.closeQuietly(storage);
    }
  }
}
