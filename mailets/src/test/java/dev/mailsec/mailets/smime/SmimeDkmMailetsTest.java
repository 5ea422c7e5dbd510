package dev.mailsec.mailets.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.mailets.dkm.TestDkmStore;
import dev.mailsec.smime.PeerCapabilityCache;
import dev.mailsec.smime.RecipientCertificates;
import dev.mailsec.smime.SmimeKeyPair;
import dev.mailsec.smime.SmimeResult;
import dev.mailsec.smime.SmimeTestPki;
import dev.mailsec.smime.SmimeVerifier;
import dev.mailsec.smime.TrustAnchors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.mail.MessagingException;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SignSmime and DecryptSmime with keySource=dkm against a real DKM file store (james-transport in
 * group mail).
 */
class SmimeDkmMailetsTest {

    static SmimeTestPki pki;
    static SmimeKeyPair alice;
    static SmimeKeyPair bob1;
    static SmimeKeyPair bob2;

    @TempDir Path dir;
    TestDkmStore store;

    @BeforeAll
    static void pki() {
        pki = new SmimeTestPki("DKM mailets CA");
        alice = pki.user("alice@example.test");
        bob1 = pki.user("bob@example.test");
        bob2 = pki.user("bob@example.test");
    }

    @BeforeEach
    void setUp() throws Exception {
        store = TestDkmStore.create(dir, "PT0S");
        put("smime/alice@example.test", alice);
        put("smime/bob@example.test", bob1);
    }

    void put(String name, SmimeKeyPair k) throws Exception {
        store.admin.putKeyPair(
                name,
                "mail",
                k.privateKeyForCryptoOperation(),
                k.certificate().getPublicKey(),
                List.of(k.certificate(), pki.ca));
    }

    @AfterEach
    void tearDown() throws Exception {
        DkmClients.closeAll();
        store.close();
    }

    FakeMailetConfig.Builder config(String name, String... params) {
        FakeMailetConfig.Builder c =
                FakeMailetConfig.builder()
                        .mailetName(name)
                        .mailetContext(FakeMailContext.defaultContext());
        for (int i = 0; i < params.length; i += 2) {
            c.setProperty(params[i], params[i + 1]);
        }
        return c;
    }

    SignSmime signer(String... params) throws MessagingException {
        SignSmime m = new SignSmime();
        m.init(config("SignSmime", params).build());
        return m;
    }

    DecryptSmime decryptor(String... params) throws MessagingException {
        DecryptSmime m = new DecryptSmime();
        m.init(config("DecryptSmime", params).build());
        return m;
    }

    static void encryptTo(FakeMail mail, SmimeKeyPair recipient) throws Exception {
        EncryptSmime enc =
                new EncryptSmime(
                        new RecipientCertificates(
                                new SmimeMailetsTest.StaticDirectory(recipient),
                                null,
                                Clock.systemUTC()),
                        new PeerCapabilityCache(10));
        enc.init(
                FakeMailetConfig.builder()
                        .mailetName("EncryptSmime")
                        .mailetContext(FakeMailContext.defaultContext())
                        .build());
        enc.service(mail);
        assertThat(mail.getMessage().getContentType()).startsWith("application/pkcs7-mime");
    }

    @Test
    void signSmimeShouldSignWithThePrimaryKeyFromDkm() throws Exception {
        FakeMail mail = SmimeMailetsTest.mail("bob@example.test");
        signer("keySource", "dkm", "dkmConfig", store.properties.toString()).service(mail);
        assertThat(mail.getMessage().getContentType()).startsWith("multipart/signed");
        assertThat(
                        new SmimeVerifier(TrustAnchors.of(List.of(pki.ca)), null, Clock.systemUTC())
                                .verify(Fixtures.bytes(mail.getMessage()), null)
                                .result())
                .isEqualTo(SmimeResult.PASS);
        assertThat(mail.getAttribute(SignSmime.SIGNED_BY).get().getValue().value())
                .isEqualTo("alice@example.test");
    }

    @Test
    void decryptSmimeShouldOpenMailToTheOldCertificateAfterADkmRollover() throws Exception {
        DecryptSmime dec =
                decryptor(
                        "keySource",
                        "dkm",
                        "dkmConfig",
                        store.properties.toString(),
                        "processor",
                        "undecryptable");
        FakeMail old = SmimeMailetsTest.mail("bob@example.test");
        byte[] original = Fixtures.bytes(old.getMessage());
        encryptTo(old, bob1);
        int v2 =
                store.admin.addKeyPairVersion(
                        "smime/bob@example.test",
                        bob2.privateKeyForCryptoOperation(),
                        bob2.certificate().getPublicKey(),
                        List.of(bob2.certificate(), pki.ca));
        store.admin.promote("smime/bob@example.test", v2);

        dec.service(old);
        assertThat(old.getState()).isNotEqualTo("undecryptable");
        assertThat(Fixtures.bytes(old.getMessage())).isEqualTo(original);
        assertThat(old.getAttribute(DecryptSmime.DECRYPTION).get().getValue().value().toString())
                .startsWith("key=smime/bob@example.test v1 ");

        FakeMail fresh = SmimeMailetsTest.mail("bob@example.test");
        encryptTo(fresh, bob2);
        dec.service(fresh);
        assertThat(Fixtures.bytes(fresh.getMessage())).isEqualTo(original);
        assertThat(fresh.getAttribute(DecryptSmime.DECRYPTION).get().getValue().value().toString())
                .startsWith("key=smime/bob@example.test v2 ");
    }

    @Test
    void unreachableDkmShouldRouteEncryptedMailUnchangedAndNeverInClear() throws Exception {
        DecryptSmime dec =
                decryptor(
                        "keySource",
                        "dkm",
                        "dkmConfig",
                        store.properties.toString(),
                        "processor",
                        "smime-retry");
        FakeMail mail = SmimeMailetsTest.mail("bob@example.test");
        encryptTo(mail, bob1);
        byte[] encrypted = Fixtures.bytes(mail.getMessage());
        Files.move(dir.resolve("data"), dir.resolve("data-moved"));
        dec.service(mail);
        assertThat(mail.getState()).isEqualTo("smime-retry");
        assertThat(Fixtures.bytes(mail.getMessage())).isEqualTo(encrypted);
        assertThat(mail.getAttribute(DecryptSmime.FAILURE).get().getValue().value())
                .isEqualTo("KEY_STORE_UNAVAILABLE");

        // back up: the same mail, sent through again, opens
        Files.move(dir.resolve("data-moved"), dir.resolve("data"));
        dec.service(mail);
        assertThat(mail.getMessage().getContentType()).startsWith("multipart/mixed");
    }

    @Test
    void identityOutsideTheGroupShouldRouteWithKeyAccessDenied() throws Exception {
        store.admin.createIdentity(
                "outsider", IdentityType.SERVICE, false, dir.resolve("credentials/outsider.cred"));
        Path props = dir.resolve("outsider.properties");
        Files.write(
                props,
                ("store=file:"
                                + dir.resolve("data")
                                + "\nidentity="
                                + dir.resolve("credentials/outsider.cred")
                                + "\ncacheTtl=PT0S\n")
                        .getBytes(StandardCharsets.UTF_8));
        FakeMail mail = SmimeMailetsTest.mail("bob@example.test");
        encryptTo(mail, bob1);
        byte[] encrypted = Fixtures.bytes(mail.getMessage());
        decryptor("keySource", "dkm", "dkmConfig", props.toString(), "processor", "undecryptable")
                .service(mail);
        assertThat(mail.getState()).isEqualTo("undecryptable");
        assertThat(Fixtures.bytes(mail.getMessage())).isEqualTo(encrypted);
        assertThat(mail.getAttribute(DecryptSmime.FAILURE).get().getValue().value())
                .isEqualTo("KEY_ACCESS_DENIED");
    }

    @Test
    void signSmimeShouldRouteOrThrowWhenDkmIsDownNeverSignOrPassSilently() throws Exception {
        SignSmime routed =
                signer(
                        "keySource",
                        "dkm",
                        "dkmConfig",
                        store.properties.toString(),
                        "onKeyStoreFailure",
                        "smime-hold");
        SignSmime throwing = signer("keySource", "dkm", "dkmConfig", store.properties.toString());
        Files.move(dir.resolve("data"), dir.resolve("data-moved"));
        FakeMail mail = SmimeMailetsTest.mail("bob@example.test");
        routed.service(mail);
        assertThat(mail.getState()).isEqualTo("smime-hold");
        assertThat(mail.getMessage().getContentType()).startsWith("multipart/mixed");
        FakeMail other = SmimeMailetsTest.mail("bob@example.test");
        assertThatThrownBy(() -> throwing.service(other))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("smime/alice@example.test")
                .hasMessageContaining("not signed");
        assertThat(other.getState()).isEqualTo("root");
    }

    @Test
    void keySourceParametersShouldBeExactlyOneNamingThem() {
        assertThatThrownBy(() -> signer())
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("keySource=dkm")
                .hasMessageContaining("keyFolder");
        assertThatThrownBy(() -> decryptor("keySource", "dkm", "keyFolder", dir.toString()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("either keySource=dkm or keyFolder");
        assertThatThrownBy(() -> decryptor("keySource", "vault"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("keySource")
                .hasMessageContaining("'vault'");
        assertThatThrownBy(() -> signer("keyFolder", dir.toString(), "dkmConfig", "x.properties"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("dkmConfig")
                .hasMessageContaining("keySource=dkm");
        assertThatThrownBy(
                        () ->
                                decryptor(
                                        "keySource",
                                        "dkm",
                                        "dkmConfig",
                                        dir.resolve("missing.properties").toString()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("dkmConfig")
                .hasMessageContaining("missing.properties");
        assertThatThrownBy(
                        () ->
                                signer(
                                        "keySource",
                                        "dkm",
                                        "dkmConfig",
                                        store.properties.toString(),
                                        "onKeyStoreFailure",
                                        "a b"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("onKeyStoreFailure");
    }

    @Test
    void ldapPasswordsShouldComeFromDkmSecretsCheckedAtStart() throws Exception {
        store.admin.putSecret(
                "ldap/mailsec", "mail", SecretKind.OPAQUE, "pw".getBytes(StandardCharsets.UTF_8));
        store.admin.createGroup("other");
        store.admin.putSecret(
                "ldap/locked", "other", SecretKind.OPAQUE, "pw".getBytes(StandardCharsets.UTF_8));
        Path ca = dir.resolve("ca.pem");
        SmimeTestPki.writeCert(ca, pki.ca);
        String[] ldap = {
            "ldapUrl",
            "ldap://127.0.0.1:1",
            "ldapBaseDn",
            "dc=example,dc=test",
            "ldapBindDn",
            "cn=mailsec,dc=example,dc=test",
            "dkmConfig",
            store.properties.toString()
        };
        EncryptSmime encrypt = new EncryptSmime();
        encrypt.init(
                config(
                                "EncryptSmime",
                                concat(
                                        ldap,
                                        "ldapPasswordSecret",
                                        "ldap/mailsec",
                                        "trustAnchors",
                                        ca.toString(),
                                        "crlLdapUrl",
                                        "ldap://127.0.0.1:1",
                                        "crlLdapBindDn",
                                        "cn=mailsec,dc=example,dc=test",
                                        "crlLdapPasswordSecret",
                                        "ldap/mailsec"))
                        .build());

        assertThatThrownBy(
                        () ->
                                new EncryptSmime()
                                        .init(
                                                config(
                                                                "EncryptSmime",
                                                                concat(
                                                                        ldap,
                                                                        "ldapPasswordSecret",
                                                                        "ldap/missing"))
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("ldapPasswordSecret")
                .hasMessageContaining("ldap/missing");
        assertThatThrownBy(
                        () ->
                                new EncryptSmime()
                                        .init(
                                                config(
                                                                "EncryptSmime",
                                                                concat(
                                                                        ldap,
                                                                        "ldapPasswordSecret",
                                                                        "ldap/locked"))
                                                        .build()))
                .as("a secret of a group james-transport is not in")
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("ldapPasswordSecret")
                .hasMessageContaining("ldap/locked");
        assertThatThrownBy(
                        () ->
                                new EncryptSmime()
                                        .init(
                                                config(
                                                                "EncryptSmime",
                                                                concat(
                                                                        ldap,
                                                                        "ldapPasswordSecret",
                                                                        "ldap/mailsec",
                                                                        "crlLdapUrl",
                                                                        "ldap://127.0.0.1:1"))
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("crlLdapUrl")
                .hasMessageContaining("trustAnchors");
        assertThatThrownBy(
                        () ->
                                new VerifySmime()
                                        .init(
                                                config(
                                                                "VerifySmime",
                                                                "trustAnchors",
                                                                ca.toString(),
                                                                "dkmConfig",
                                                                store.properties.toString(),
                                                                "crlLdapBindDn",
                                                                "cn=mailsec,dc=example,dc=test",
                                                                "crlLdapPasswordSecret",
                                                                "ldap/mailsec")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("crlLdapBindDn: needs crlLdapUrl");
        assertThatThrownBy(
                        () ->
                                new VerifySmime()
                                        .init(
                                                config(
                                                                "VerifySmime",
                                                                "trustAnchors",
                                                                ca.toString(),
                                                                "crlLdapUrl",
                                                                "ldap://127.0.0.1:1",
                                                                "crlLdapBindDn",
                                                                "cn=mailsec,dc=example,dc=test",
                                                                "crlLdapPasswordSecret",
                                                                "ldap/mailsec",
                                                                "dkmConfig",
                                                                dir.resolve("missing.properties")
                                                                        .toString())
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("dkmConfig")
                .hasMessageContaining("missing.properties");
        VerifySmime verify = new VerifySmime();
        verify.init(
                config(
                                "VerifySmime",
                                "trustAnchors",
                                ca.toString(),
                                "crlLdapUrl",
                                "ldap://127.0.0.1:1",
                                "crlLdapBindDn",
                                "cn=mailsec,dc=example,dc=test",
                                "crlLdapPasswordSecret",
                                "ldap/mailsec",
                                "dkmConfig",
                                store.properties.toString())
                        .build());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void keyMaterialShouldNeverAppearInFailureAttributesOrExceptions() throws Exception {
        String material =
                Base64.getEncoder()
                        .encodeToString(bob1.privateKeyForCryptoOperation().getEncoded())
                        .substring(100, 140);
        SignSmime throwing =
                signer(
                        "keySource",
                        "dkm",
                        "dkmConfig",
                        store.properties.toString(),
                        "signer",
                        "bob@example.test");
        DecryptSmime dec = decryptor("keySource", "dkm", "dkmConfig", store.properties.toString());
        FakeMail mail = SmimeMailetsTest.mail("bob@example.test");
        encryptTo(mail, bob1);
        Files.move(dir.resolve("data"), dir.resolve("data-moved"));
        dec.service(mail);
        assertThat(String.valueOf(mail.getAttribute(DecryptSmime.FAILURE).get().getValue().value()))
                .doesNotContain(material);
        assertThatThrownBy(() -> throwing.service(SmimeMailetsTest.mail("bob@example.test")))
                .satisfies(e -> assertThat(e.getMessage() + e.getCause()).doesNotContain(material));
    }
}
