package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmConfig;
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
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real DKM file store: admin, james-transport in group mail, bob's key in smime/bob@...
 */
class DkmSmimeKeySourceTest {

    static SmimeTestPki pki;
    static SmimeKeyPair bob1;
    static SmimeKeyPair bob2;

    @TempDir Path dir;
    FileStorage storage;
    KeyManager admin;
    Dkm dkm;

    @BeforeAll
    static void pki() {
        pki = new SmimeTestPki("DKM CA");
        bob1 = pki.user("bob@mailsec.test");
        bob2 = pki.user("bob@mailsec.test");
    }

    @BeforeEach
    void store() throws Exception {
        storage = FileStorage.create(dir.resolve("data"));
        admin =
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
        admin.createIdentity(
                "outsider", IdentityType.SERVICE, false, dir.resolve("credentials/outsider.cred"));
        admin.createGroup("mail");
        admin.addMember("mail", "james-transport");
        put("smime/bob@mailsec.test", bob1);
        dkm = open("james-transport");
    }

    Dkm open(String identity) throws Exception {
        Path props = dir.resolve(identity + ".properties");
        Files.write(
                props,
                ("store=file:data\nidentity=credentials/" + identity + ".cred\ncacheTtl=PT0S\n")
                        .getBytes(StandardCharsets.UTF_8));
        return Dkm.open(DkmConfig.load(props, dir), Clock.systemUTC());
    }

    void put(String name, SmimeKeyPair pair) throws Exception {
        admin.putKeyPair(
                name,
                "mail",
                pair.privateKeyForCryptoOperation(),
                pair.certificate().getPublicKey(),
                List.of(pair.certificate(), pki.ca));
    }

    @AfterEach
    void close() throws IOException {
        dkm.close();
        admin.close();
        storage.close();
    }

    @Test
    void keysForShouldReturnThePrimaryWithItsCertificateAndChain() throws Exception {
        List<SmimeKeyPair> keys = new DkmSmimeKeySource(dkm).keysFor(" Bob@MailSec.test ");
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).id()).isEqualTo("smime/bob@mailsec.test v1");
        assertThat(keys.get(0).certificate()).isEqualTo(bob1.certificate());
        assertThat(keys.get(0).chain()).containsExactly(pki.ca);
        assertThat(keys.get(0).privateKeyForCryptoOperation().getEncoded())
                .isEqualTo(bob1.privateKeyForCryptoOperation().getEncoded());
    }

    @Test
    void keysForShouldPutTheNewPrimaryFirstAndKeepTheArchivedVersionAfterARollover()
            throws Exception {
        int v2 =
                admin.addKeyPairVersion(
                        "smime/bob@mailsec.test",
                        bob2.privateKeyForCryptoOperation(),
                        bob2.certificate().getPublicKey(),
                        List.of(bob2.certificate()));
        DkmSmimeKeySource source = new DkmSmimeKeySource(dkm);
        // added, not promoted yet: v1 still signs, v2 already decrypts
        assertThat(source.keysFor("bob@mailsec.test"))
                .extracting(SmimeKeyPair::id)
                .containsExactly("smime/bob@mailsec.test v1", "smime/bob@mailsec.test v2");
        admin.promote("smime/bob@mailsec.test", v2);
        List<SmimeKeyPair> keys = source.keysFor("bob@mailsec.test");
        assertThat(keys)
                .extracting(SmimeKeyPair::id)
                .containsExactly("smime/bob@mailsec.test v2", "smime/bob@mailsec.test v1");
        assertThat(keys.get(0).certificate()).isEqualTo(bob2.certificate());
        assertThat(keys.get(0).chain()).isEmpty();
        assertThat(keys.get(1).certificate()).isEqualTo(bob1.certificate());
    }

    @Test
    void keysForShouldBeEmptyForAnAddressWithoutSecretOrWithAnImpossibleName() throws Exception {
        DkmSmimeKeySource source = new DkmSmimeKeySource(dkm);
        assertThat(source.keysFor("carol@mailsec.test")).isEmpty();
        assertThat(source.keysFor("no such\u0000address")).isEmpty();
    }

    @Test
    void unreachableStoreShouldBeATemporaryIoExceptionNotNoKey() throws Exception {
        Files.move(dir.resolve("data"), dir.resolve("data-moved"));
        assertThatThrownBy(() -> new DkmSmimeKeySource(dkm).keysFor("bob@mailsec.test"))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(SmimeKeyAccessException.class)
                .hasMessageContaining("DKM unavailable")
                .hasMessageContaining("smime/bob@mailsec.test");
    }

    @Test
    void identityOutsideTheGroupShouldGetAClearAccessError() throws Exception {
        try (Dkm outsider = open("outsider")) {
            assertThatThrownBy(() -> new DkmSmimeKeySource(outsider).keysFor("bob@mailsec.test"))
                    .isInstanceOf(SmimeKeyAccessException.class)
                    .hasMessageContaining("DKM refused access to smime/bob@mailsec.test")
                    .isNotInstanceOf(IOException.class)
                    .extracting(e -> ((SmimeException) e).reason())
                    .isEqualTo(SmimeException.Reason.KEY_ACCESS_DENIED);
        }
    }

    @Test
    void secretOfAnotherKindOrWithoutCertificateShouldBeAnAccessErrorNotNoKey() throws Exception {
        admin.putSecret(
                "smime/carol@mailsec.test",
                "mail",
                SecretKind.OPAQUE,
                "password".getBytes(StandardCharsets.UTF_8));
        admin.generate("smime/dave@mailsec.test", "mail", SecretKind.KEY_PAIR, "RSA-2048");
        DkmSmimeKeySource source = new DkmSmimeKeySource(dkm);
        assertThatThrownBy(() -> source.keysFor("carol@mailsec.test"))
                .isInstanceOf(SmimeKeyAccessException.class)
                .hasMessageContaining("not a KEY_PAIR");
        assertThatThrownBy(() -> source.keysFor("dave@mailsec.test"))
                .isInstanceOf(SmimeKeyAccessException.class)
                .hasMessageContaining("has no certificate");
    }

    @Test
    void keysOfSecretShouldRefuseAMissingNamedSecret() {
        assertThatThrownBy(
                        () -> new DkmSmimeKeySource(dkm).keysOfSecret("smime/nobody@mailsec.test"))
                .isInstanceOf(SmimeKeyAccessException.class)
                .hasMessageContaining("smime/nobody@mailsec.test");
    }

    @Test
    void patternWithoutAddressShouldBeRejected() {
        assertThatThrownBy(() -> new DkmSmimeKeySource(dkm, "smime/bob"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{address}");
    }

    @Test
    void keyMaterialShouldNeverAppearInToStringOrFailures() throws Exception {
        DkmSmimeKeySource source = new DkmSmimeKeySource(dkm);
        SmimeKeyPair k = source.keysFor("bob@mailsec.test").get(0);
        String material =
                Base64.getEncoder()
                        .encodeToString(k.privateKeyForCryptoOperation().getEncoded())
                        .substring(100, 140);
        assertThat(k.toString()).doesNotContain(material);
        assertThat(source.toString()).doesNotContain(material);
        Files.move(dir.resolve("data"), dir.resolve("data-moved"));
        assertThatThrownBy(() -> source.keysFor("bob@mailsec.test"))
                .satisfies(
                        e ->
                                assertThat(String.valueOf(e.getMessage()) + e.getCause())
                                        .doesNotContain(material));
    }
}
