package dev.mailsec.cli.dkm;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.spi.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;

/**
 * Creates a DKM directory as {@code dkm init} does ({@code dkm.properties}, the file store or a
 * pointer to PostgreSQL, the first root key and a first admin), for {@code dkm init} and {@code
 * mailsec install}.
 */
public final class DkmDirectory {
    private DkmDirectory() {}

    /**
     * Initialises a new store in {@code dir}; {@code backend} is null (files under {@code
     * dir/data}) or a {@code jdbc:postgresql:} URL; {@code rootKeys} (file root keys) defaults to
     * {@code DIR-root-keys} next to {@code dir}, so that a copy of the directory does not carry the
     * key that unwraps it (issue 13, finding 5). Returns the admin's credential file ({@code
     * dir/credentials/ADMIN.cred}, mode 0600).
     */
    public static Path init(
            Path directory,
            String backend,
            String schema,
            Path pkcs11,
            Path pinFile,
            Path rootKeys,
            String admin,
            PrintWriter err) {
        Path dir = directory.toAbsolutePath().normalize();
        if (Files.exists(dir.resolve("dkm.properties"))) {
            throw new UserException(
                    "--store: " + dir + " already holds a DKM (dkm.properties exists)", 2);
        }
        StringBuilder props = new StringBuilder("# mailsec DKM, created by ./mailsec dkm init\n");
        // absolute, like the root key's path: a client reading this file from anywhere finds the
        // same store
        // (relative paths in a dkm.properties follow James's working directory, docs/paths.md)
        props.append(
                backend == null
                        ? "store=file:" + dir.resolve("data") + "\n"
                        : "store=" + backend + "\nstore.schema=" + schema + "\n");
        if (pkcs11 != null) {
            if (pinFile == null) {
                throw new UserException("--pin-file: required with --pkcs11", 2);
            }
            props.append("rootKey=pkcs11:")
                    .append(pkcs11.toAbsolutePath())
                    .append('\n')
                    .append("rootKeyPinFile=")
                    .append(pinFile.toAbsolutePath())
                    .append('\n');
        } else {
            Path keys =
                    rootKeys != null
                            ? rootKeys.toAbsolutePath().normalize()
                            : dir.resolveSibling(dir.getFileName() + "-root-keys");
            if (keys.startsWith(dir)) {
                err.println(
                        "warning: --root-keys "
                                + keys
                                + " is inside the DKM directory "
                                + dir
                                + ": a copy of it carries its own root key");
            }
            props.append("rootKey=file:").append(keys).append('\n');
        }
        props.append("cacheTtl=PT5M\n");
        Storage storage = null;
        Path propsFile = dir.resolve("dkm.properties");
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.write(propsFile, props.toString().getBytes(StandardCharsets.UTF_8));
            DkmConfig cfg = DkmConfig.load(propsFile, dir);
            storage = cfg.openStorage(backend == null);
            Path cred = dir.resolve("credentials").resolve(admin + ".cred");
            KeyManager.init(storage, cfg.openRootKeys().get(), admin, cred, Clock.systemUTC())
                    .close();
            return cred;
        } catch (DkmException e) {
            try {
                Files.deleteIfExists(propsFile);
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
