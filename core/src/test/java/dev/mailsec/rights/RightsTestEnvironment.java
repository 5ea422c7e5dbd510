package dev.mailsec.rights;

import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.store.FileStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A complete rights set-up in a folder, for tests of the engine and of its adapters (shared through
 * core's test-jar): a DKM file store with an admin and the service identity {@code james-transport}
 * in group {@code rights}, the three rights secrets (as {@code ./mailsec rights init} creates
 * them), a {@code dkm.properties} for that identity, a {@code rights.xml} (issuer mailsec.test,
 * templates encrypt-only, do-not-forward, confidential-30d) and a file rights store. Every path in
 * the files it writes is absolute (docs/paths.md: relative ones would follow the test JVM's working
 * directory): {@code file:rights-state} in the given rights.xml becomes that folder under {@code
 * dir}, and a rights.xml without {@code <dkm>} gets the {@code dkm.properties} in {@code dir}.
 *
 * <pre>
 * try (RightsTestEnvironment env = RightsTestEnvironment.create(tempDir, Clock.systemUTC())) {
 *     Protection p = env.protector().protect(message, "alice@mailsec.test", List.of("carol@external.test"),
 *         env.settings().template("do-not-forward"));
 * }
 * </pre>
 */
public final class RightsTestEnvironment implements AutoCloseable {
    public static final String RIGHTS_XML =
            "<rights>\n"
                    + "  <issuer>mailsec.test</issuer>\n"
                    + "  <organisationDomains>mailsec.test</organisationDomains>\n"
                    + "  <portal url=\"http://127.0.0.1:8090\" bind=\"127.0.0.1\" port=\"8090\" smtpHost=\"127.0.0.1\" smtpPort=\"2525\"/>\n"
                    + "  <store url=\"file:rights-state\" />\n"
                    + "  <subject mode=\"keep\"/>\n"
                    + "  <templates>\n"
                    + "    <template name=\"confidential-30d\" rights=\"view,reply\" expiry=\"P30D\"/>\n"
                    + "  </templates>\n"
                    + "</rights>\n";

    private final Path dir;
    private final FileStorage dkmStorage;
    private final KeyManager admin;
    private final Dkm dkm;
    private final RightsSettings settings;
    private final RightsKeyring keyring;
    private final RightsStore store;
    private final Clock clock;

    private RightsTestEnvironment(
            Path dir,
            FileStorage dkmStorage,
            KeyManager admin,
            Dkm dkm,
            RightsSettings settings,
            RightsStore store,
            Clock clock) {
        this.dir = dir;
        this.dkmStorage = dkmStorage;
        this.admin = admin;
        this.dkm = dkm;
        this.settings = settings;
        this.keyring = new DkmRightsKeyring(dkm, settings);
        this.store = store;
        this.clock = clock;
    }

    /** Builds everything under {@code dir} with the sample rights.xml. */
    public static RightsTestEnvironment create(Path dir, Clock clock) throws Exception {
        return create(dir, clock, RIGHTS_XML);
    }

    /** Builds everything under {@code dir} with this rights.xml content. */
    public static RightsTestEnvironment create(Path dir, Clock clock, String rightsXml)
            throws Exception {
        Files.createDirectories(dir);
        FileStorage storage = FileStorage.create(dir.resolve("dkm-data"));
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
        admin.createGroup("rights");
        admin.addMember("rights", "james-transport");
        Files.write(
                dir.resolve("dkm.properties"),
                ("store=file:"
                                + dir.resolve("dkm-data")
                                + "\nidentity="
                                + dir.resolve("credentials/james-transport.cred")
                                + "\ncacheTtl=PT0S\n")
                        .getBytes(StandardCharsets.UTF_8));
        String xml =
                rightsXml.replace(
                        "\"file:rights-state\"", "\"file:" + dir.resolve("rights-state") + "\"");
        if (!xml.contains("<dkm ")) {
            xml =
                    xml.replace(
                            "</rights>",
                            "  <dkm config=\"" + dir.resolve("dkm.properties") + "\"/>\n</rights>");
        }
        Files.write(dir.resolve("rights.xml"), xml.getBytes(StandardCharsets.UTF_8));
        RightsSettings settings = RightsSettings.load(dir.resolve("rights.xml"));
        DkmRightsKeyring.createSecrets(admin, settings, "rights");
        Dkm dkm = Dkm.open(DkmConfig.load(settings.dkmConfig()), Clock.systemUTC());
        RightsStore store = RightsStore.open(settings);
        return new RightsTestEnvironment(dir, storage, admin, dkm, settings, store, clock);
    }

    public Path dir() {
        return dir;
    }

    /** The rights.xml path (for adapters that load it themselves). */
    public Path rightsXml() {
        return dir.resolve("rights.xml");
    }

    /** The admin session (for rollovers in tests). */
    public KeyManager admin() {
        return admin;
    }

    public Path adminCredential() {
        return dir.resolve("credentials/admin.cred");
    }

    public Dkm dkm() {
        return dkm;
    }

    public RightsSettings settings() {
        return settings;
    }

    public RightsKeyring keyring() {
        return keyring;
    }

    public RightsStore store() {
        return store;
    }

    public RightsProtector protector() {
        return new RightsProtector(settings, keyring, store, clock);
    }

    public RightsOpener opener() {
        return new RightsOpener(settings, keyring, store, clock);
    }

    /** An opener that reads at another time (expiry tests). */
    public RightsOpener opener(Clock at) {
        return new RightsOpener(settings, keyring, store, at);
    }

    @Override
    public void close() throws IOException {
        store.close();
        dkm.close();
        admin.close();
        dkmStorage.close();
    }
}
