package dev.mailsec.mailets.dkm;

import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.store.FileStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A real DKM file store in a directory, as an operator would set it up: admin, the service identity
 * {@code james-transport} in group {@code mail}, and DKIM keys; {@code dkm.properties} for James.
 */
public final class TestDkmStore implements AutoCloseable {
    public final Path dir;
    public final Path properties;
    private final FileStorage storage;
    public final KeyManager admin;

    private TestDkmStore(Path dir, FileStorage storage, KeyManager admin, Path properties) {
        this.dir = dir;
        this.storage = storage;
        this.admin = admin;
        this.properties = properties;
    }

    public static TestDkmStore create(Path dir, String cacheTtl) throws DkmException, IOException {
        FileStorage storage = FileStorage.create(dir.resolve("data"));
        KeyManager admin =
                KeyManager.init(
                        storage,
                        new FileRootKeys(dir.resolve("root-keys")),
                        "admin",
                        dir.resolve("credentials/admin.cred"),
                        Clock.systemUTC());
        admin.createIdentity(
                "james-transport",
                IdentityType.SERVICE,
                false,
                dir.resolve("credentials/james-transport.cred"));
        admin.createGroup("mail");
        admin.addMember("mail", "james-transport");
        Path props = dir.resolve("james-dkm.properties");
        // absolute paths: relative ones would follow the test JVM's working directory
        // (docs/paths.md)
        Files.write(
                props,
                ("store=file:"
                                + dir.resolve("data")
                                + "\nidentity="
                                + dir.resolve("credentials/james-transport.cred")
                                + "\ncacheTtl="
                                + cacheTtl
                                + "\n")
                        .getBytes(StandardCharsets.UTF_8));
        Files.write(
                dir.resolve("admin-dkm.properties"),
                ("store=file:"
                                + dir.resolve("data")
                                + "\nidentity="
                                + dir.resolve("credentials/admin.cred")
                                + "\nrootKey=file:"
                                + dir.resolve("root-keys")
                                + "\ncacheTtl=PT0S\n")
                        .getBytes(StandardCharsets.UTF_8));
        return new TestDkmStore(dir, storage, admin, props);
    }

    public TestDkmStore key(String name, String algorithm) throws DkmException {
        admin.generate(name, "mail", SecretKind.KEY_PAIR, algorithm);
        return this;
    }

    /** A session as james-transport, the group member that may read the keys (admins may not). */
    public KeyManager transport() throws DkmException {
        return KeyManager.open(
                storage,
                null,
                Credential.load(dir.resolve("credentials/james-transport.cred")),
                Clock.systemUTC());
    }

    @Override
    public void close() throws IOException {
        admin.close();
        storage.close();
    }
}
