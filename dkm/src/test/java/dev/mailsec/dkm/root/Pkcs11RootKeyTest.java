package dev.mailsec.dkm.root;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.DkmAccessDeniedException;
import dev.mailsec.dkm.DkmIntegrityException;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.TestClock;
import dev.mailsec.dkm.internal.GroupRecord;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.store.FileStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Customer Key with a real PKCS#11 token: SoftHSM2 (Debian package softhsm2) through the JDK's
 * SunPKCS11. The token lives in target/softhsm (SOFTHSM2_CONF is set by surefire in dkm/pom.xml).
 */
class Pkcs11RootKeyTest {
    static final String LIB = "/usr/lib/softhsm/libsofthsm2.so";
    static Path cfg;
    static Path pinFile;

    @TempDir Path tmp;
    Storage storage;
    Pkcs11RootKeys rootKeys;
    KeyManager admin;
    KeyManager james;
    TestClock clock = new TestClock();

    @BeforeAll
    static void initToken() throws Exception {
        String conf = System.getenv("SOFTHSM2_CONF");
        assertThat(conf)
                .as("SOFTHSM2_CONF in the test JVM's environment (surefire config)")
                .isNotNull();
        Path confFile = Paths.get(conf);
        Path hsm = confFile.getParent();
        Path tokens = hsm.resolve("tokens");
        if (Files.exists(tokens)) {
            try (Stream<Path> s = Files.walk(tokens)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(tokens);
        Files.write(
                confFile,
                ("directories.tokendir = "
                                + tokens
                                + "\nobjectstore.backend = file\n"
                                + "log.level = ERROR\nslots.removable = false\n")
                        .getBytes(StandardCharsets.US_ASCII));
        Process p =
                new ProcessBuilder(
                                "softhsm2-util",
                                "--init-token",
                                "--free",
                                "--label",
                                "dkm-test",
                                "--pin",
                                "1234",
                                "--so-pin",
                                "5678")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        cfg = hsm.resolve("pkcs11.cfg");
        Files.write(
                cfg,
                ("name = DkmSoftHsm\nlibrary = "
                                + LIB
                                + "\nslotListIndex = 0\n"
                                + "attributes(generate, CKO_SECRET_KEY, CKK_AES) = {\n  CKA_SENSITIVE = true\n"
                                + "  CKA_EXTRACTABLE = false\n}\n")
                        .getBytes(StandardCharsets.US_ASCII));
        pinFile = hsm.resolve("pin");
        Files.write(pinFile, "1234\n".getBytes(StandardCharsets.US_ASCII));
    }

    @BeforeEach
    void setUp() throws Exception {
        storage = FileStorage.create(tmp.resolve("data"));
        rootKeys = new Pkcs11RootKeys(cfg, "1234".toCharArray());
        admin = KeyManager.init(storage, rootKeys, "admin", tmp.resolve("admin.cred"), clock);
        admin.createIdentity("james", IdentityType.SERVICE, false, tmp.resolve("james.cred"));
        admin.createGroup("mail");
        admin.addMember("mail", "james");
        admin.putSecret(
                "account/x", "mail", SecretKind.OPAQUE, "s3cret".getBytes(StandardCharsets.UTF_8));
        james = KeyManager.open(storage, null, Credential.load(tmp.resolve("james.cred")), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        storage.close();
    }

    @Test
    void rootKeyShouldLiveInTheTokenUnextractableAndWrapGroupKeysets() throws Exception {
        String rootId = GroupRecord.decode(storage.get("group/mail").get().value()).rootKeyId;
        assertThat(rootId).startsWith("pkcs11:mailsec-root-");
        Provider p = Security.getProvider("SunPKCS11").configure(cfg.toString());
        KeyStore ks = KeyStore.getInstance("PKCS11", p);
        ks.load(null, "1234".toCharArray());
        Key k = ks.getKey(rootId.substring(7), null);
        assertThat(k).isNotNull();
        assertThat(k.getEncoded()).as("the root key never leaves the token").isNull();
        assertThat(new String(james.get("account/x").primary().value(), StandardCharsets.UTF_8))
                .isEqualTo("s3cret");
        assertThat(admin.verifyAudit().intact()).isTrue();
    }

    @Test
    void rootRotationShouldMoveKeysetsToANewTokenKey() throws Exception {
        byte[] secretBefore = storage.get("secret/account/x").get().value();
        String old = admin.rotateRoot();
        String now = GroupRecord.decode(storage.get("group/mail").get().value()).rootKeyId;
        assertThat(now).isNotEqualTo(old).startsWith("pkcs11:mailsec-root-");
        assertThat(storage.get("secret/account/x").get().value()).isEqualTo(secretBefore);
        admin.destroyRootKey(old);
        assertThatThrownBy(() -> rootKeys.get(old)).isInstanceOf(DkmIntegrityException.class);
        admin.createGroup("other");
        assertThat(new String(james.get("account/x").primary().value(), StandardCharsets.UTF_8))
                .isEqualTo("s3cret");
    }

    @Test
    void destroyedCustomerKeyShouldMakeTheStoreUnrecoverable() throws Exception {
        String rootId = GroupRecord.decode(storage.get("group/mail").get().value()).rootKeyId;
        admin.shred("customer key revoked (test)");
        assertThatThrownBy(() -> rootKeys.get(rootId))
                .isInstanceOf(DkmIntegrityException.class)
                .hasMessageContaining("does not exist");
        // members' sealed copies are gone and the root copy needs the destroyed key
        KeyManager fresh =
                KeyManager.open(storage, null, Credential.load(tmp.resolve("james.cred")), clock);
        assertThatThrownBy(() -> fresh.get("account/x"))
                .isInstanceOf(DkmAccessDeniedException.class);
        assertThatThrownBy(() -> admin.addMember("mail", "james"))
                .isInstanceOf(DkmIntegrityException.class);
        assertThatThrownBy(() -> admin.rotateGroupKeyset("mail"))
                .isInstanceOf(DkmIntegrityException.class);
    }

    @Test
    void deletingTheKeyInTheTokenShouldStopEveryRootOperation() throws Exception {
        String rootId = GroupRecord.decode(storage.get("group/mail").get().value()).rootKeyId;
        rootKeys.destroy(rootId);
        assertThatThrownBy(() -> admin.addMember("mail", "james"))
                .isInstanceOf(DkmIntegrityException.class);
        assertThatThrownBy(() -> admin.verifyAudit()).isInstanceOf(DkmIntegrityException.class);
        assertThatThrownBy(() -> admin.createGroup("g")).isInstanceOf(DkmIntegrityException.class);
    }
}
