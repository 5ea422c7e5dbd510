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
import dev.mailsec.dkmclient.DkmClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.naming.Context;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LDAP binds with the password in DKM, against a real slapd whose access rules let only
 * authenticated users read people and CRLs (as Active Directory does) and a real DKM file store:
 * the certificate directory and LDAP CRL distribution points bind as a service account, follow a
 * password rollover in DKM without a restart, and never send the account's credentials to a server
 * a certificate names.
 */
class LdapBindTest {

    private static final String SERVICE = "uid=mailsec,ou=services,dc=example,dc=test";
    private static final String PASSWORD_1 = "first-Pa55word";
    private static final String PASSWORD_2 = "second-Pa55word";

    @TempDir static Path dir;

    static Slapd slapd;
    static SmimeTestPki pki;
    static SmimeKeyPair bob;
    static SmimeTestPki adCa;
    static SmimeKeyPair revoked;
    static FileStorage storage;
    static KeyManager admin;

    /**
     * The james-transport client, answers cached for an hour (as a production cache would hold
     * them).
     */
    static Dkm dkm;

    @BeforeAll
    static void start() throws Exception {
        pki = new SmimeTestPki("Bind CA");
        bob = pki.user("bob@example.test");
        adCa =
                new SmimeTestPki(
                        "AD Bind CA",
                        "ldap:///cn=AD%20Bind%20CA,ou=pki,dc=example,dc=test?certificateRevocationList?base?objectClass=cRLDistributionPoint");
        revoked = adCa.user("revoked@example.test");
        Files.write(dir.resolve("bob.der"), bob.certificate().getEncoded());
        slapd =
                Slapd.start(
                        dir,
                        Slapd.freePort(),
                        ""
                                + "dn: dc=example,dc=test\nobjectClass: dcObject\nobjectClass: organization\no: example\ndc: example\n\n"
                                + "dn: ou=people,dc=example,dc=test\nobjectClass: organizationalUnit\nou: people\n\n"
                                + "dn: ou=services,dc=example,dc=test\nobjectClass: organizationalUnit\nou: services\n\n"
                                + "dn: ou=pki,dc=example,dc=test\nobjectClass: organizationalUnit\nou: pki\n\n"
                                + "dn: "
                                + SERVICE
                                + "\nobjectClass: inetOrgPerson\nuid: mailsec\ncn: mailsec\nsn: service\n"
                                + "userPassword: "
                                + PASSWORD_1
                                + "\n\n"
                                + "dn: uid=bob,ou=people,dc=example,dc=test\nobjectClass: inetOrgPerson\nuid: bob\ncn: Bob\nsn: B\n"
                                + "mail: bob@example.test\nuserCertificate;binary:< file://"
                                + dir.resolve("bob.der")
                                + "\n\n"
                                + "dn: cn=AD Bind CA,ou=pki,dc=example,dc=test\nobjectClass: cRLDistributionPoint\ncn: AD Bind CA\n"
                                + "certificateRevocationList;binary:: "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                adCa.crl(revoked.certificate()).getEncoded())
                                + "\n\n",
                        "access to attrs=userPassword by anonymous auth by * none\n"
                                + "access to dn.subtree=\"ou=people,dc=example,dc=test\" by users read by * none\n"
                                + "access to dn.subtree=\"ou=pki,dc=example,dc=test\" by users read by * none\n"
                                + "access to * by * read\n");

        storage = FileStorage.create(dir.resolve("dkm/data"));
        admin =
                KeyManager.init(
                        storage,
                        new FileRootKeys(dir.resolve("dkm/root-keys")),
                        "admin",
                        dir.resolve("dkm/credentials/admin.cred"),
                        Clock.systemUTC());
        admin.createIdentity(
                "james-transport",
                IdentityType.SERVICE,
                false,
                dir.resolve("dkm/credentials/james-transport.cred"));
        admin.createGroup("mail");
        admin.addMember("mail", "james-transport");
        admin.putSecret(
                "ldap/mailsec",
                "mail",
                SecretKind.OPAQUE,
                PASSWORD_1.getBytes(StandardCharsets.UTF_8));
        admin.generate("ldap/not-a-password", "mail", SecretKind.SYMMETRIC, null);
        Path props = dir.resolve("dkm/james.properties");
        Files.writeString(
                props,
                "store=file:"
                        + dir.resolve("dkm/data")
                        + "\nidentity="
                        + dir.resolve("dkm/credentials/james-transport.cred")
                        + "\ncacheTtl=PT1H\n");
        dkm = Dkm.open(DkmConfig.load(props), Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        DkmClients.closeAll();
        if (dkm != null) {
            dkm.close();
        }
        if (admin != null) {
            admin.close();
            storage.close();
        }
        if (slapd != null) {
            slapd.close();
        }
    }

    static LdapCertificateDirectory directory(LdapBind bind) {
        // no answer cache, so every lookup binds again
        return new LdapCertificateDirectory(
                slapd.url(),
                "ou=people,dc=example,dc=test",
                bind,
                LdapCertificateDirectory.DEFAULT_FILTER,
                Duration.ofSeconds(3),
                Duration.ZERO,
                Clock.systemUTC());
    }

    @Test
    void theDirectoryBindsWithThePasswordFromDkmAndFollowsItsRolloverWithoutARestart()
            throws Exception {
        assertThatThrownBy(() -> directory(LdapBind.anonymous()).lookup("bob@example.test"))
                .as(
                        "the access rules hide people from anonymous users (slapd answers 'no such object')")
                .isInstanceOf(IOException.class);
        LdapBind bind = LdapBind.withDkmSecret(SERVICE, dkm, "ldap/mailsec");
        LdapCertificateDirectory ldap = directory(bind);
        assertThat(ldap.lookup("bob@example.test")).containsExactly(bob.certificate());

        // the account's password changes in the directory first: binds fail until DKM has it
        slapd.modify(
                dir,
                "dn: "
                        + SERVICE
                        + "\nchangetype: modify\nreplace: userPassword\nuserPassword: "
                        + PASSWORD_2
                        + "\n");
        try {
            assertThatThrownBy(() -> ldap.lookup("bob@example.test"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("refused the bind as " + SERVICE)
                    .hasMessageContaining("DKM secret ldap/mailsec")
                    .hasMessageNotContaining(PASSWORD_1)
                    .hasMessageNotContaining(PASSWORD_2);

            // then the operator adds and promotes the new value; the client's one-hour cache still
            // holds the old one
            int v2 = admin.addVersion("ldap/mailsec", PASSWORD_2.getBytes(StandardCharsets.UTF_8));
            admin.promote("ldap/mailsec", v2);
            assertThat(ldap.lookup("bob@example.test")).containsExactly(bob.certificate());
            assertThat(dkm.secret("ldap/mailsec").primary().number())
                    .as("the refused bind read the secret again")
                    .isEqualTo(v2);
        } finally {
            slapd.modify(
                    dir,
                    "dn: "
                            + SERVICE
                            + "\nchangetype: modify\nreplace: userPassword\nuserPassword: "
                            + PASSWORD_1
                            + "\n");
            int v3 = admin.addVersion("ldap/mailsec", PASSWORD_1.getBytes(StandardCharsets.UTF_8));
            admin.promote("ldap/mailsec", v3);
            dkm.invalidateAll();
        }
        assertThat(ldap.toString())
                .contains(SERVICE)
                .doesNotContain(PASSWORD_1)
                .doesNotContain(PASSWORD_2);
    }

    @Test
    void aSecretThatIsMissingOrNotAPasswordIsAClearFault() {
        assertThatThrownBy(() -> LdapBind.withDkmSecret(SERVICE, dkm, "ldap/nobody").check())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ldap/nobody");
        assertThatThrownBy(
                        () -> LdapBind.withDkmSecret(SERVICE, dkm, "ldap/not-a-password").check())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("SYMMETRIC")
                .hasMessageContaining("OPAQUE");
        assertThatThrownBy(
                        () ->
                                directory(LdapBind.withDkmSecret(SERVICE, dkm, "ldap/nobody"))
                                        .lookup("bob@example.test"))
                .as("a lookup that cannot bind is a fault, never 'no certificate'")
                .isInstanceOf(IOException.class);
    }

    @Test
    void settingsReadTheSecretAtStartAndNameTheParameterOfAWrongOne() {
        Map<String, String> p = new HashMap<>();
        p.put("ldapUrl", slapd.url());
        p.put("ldapBaseDn", "ou=people,dc=example,dc=test");
        p.put("ldapBindDn", SERVICE);
        p.put("ldapPasswordSecret", "ldap/nobody");
        assertThatThrownBy(() -> SmimeSettings.directory(p::get, () -> dkm))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ldapPasswordSecret: 'ldap/nobody'");
        p.put("ldapPasswordSecret", "ldap/mailsec");
        p.put("ldapPassword", "also");
        assertThatThrownBy(() -> SmimeSettings.directory(p::get, () -> dkm))
                .hasMessageContaining("not both");
        p.remove("ldapPassword");
        p.remove("ldapBindDn");
        assertThatThrownBy(() -> SmimeSettings.directory(p::get, () -> dkm))
                .hasMessageStartingWith("ldapBindDn: required with ldapPasswordSecret");
        p.put("ldapBindDn", SERVICE);
        CertificateDirectory directory = SmimeSettings.directory(p::get, () -> dkm);
        assertThat(directory.toString()).contains("DKM secret ldap/mailsec");

        Map<String, String> crl = new HashMap<>();
        crl.put("crlLdapBindDn", SERVICE);
        crl.put("crlLdapPasswordSecret", "ldap/mailsec");
        assertThatThrownBy(() -> SmimeSettings.crlLdapServer(crl::get, () -> dkm))
                .hasMessageContaining("crlLdapUrl");
        crl.put("crlLdapUrl", slapd.url());
        LdapServer server = SmimeSettings.crlLdapServer(crl::get, () -> dkm);
        assertThat(server.url()).isEqualTo(slapd.url());
        assertThat(server.bind().dn()).isEqualTo(SERVICE);
        assertThat(
                        SmimeSettings.crlLdapServer(
                                Map.<String, String>of()::get,
                                () -> {
                                    throw new AssertionError(
                                            "DKM is not needed for an anonymous bind");
                                }))
                .isSameAs(LdapServer.none());
    }

    @Test
    void aMatcherConditionCanNameTheBindAndItsSecret() throws Exception {
        String url = slapd.url() + "/ou=people,dc=example,dc=test";
        String props = dir.resolve("dkm/james.properties").toString();
        CertificateDirectory bound =
                SmimeSettings.directoryFromCondition(
                        "HasRecipientCertificate",
                        url
                                + "; bindDn="
                                + SERVICE
                                + " ; passwordSecret=ldap/mailsec; dkmConfig="
                                + props);
        assertThat(bound.lookup("bob@example.test")).containsExactly(bob.certificate());
        assertThatThrownBy(
                        () ->
                                SmimeSettings.directoryFromCondition("HasRecipientCertificate", url)
                                        .lookup("bob@example.test"))
                .isInstanceOf(IOException.class);

        assertThatThrownBy(
                        () ->
                                SmimeSettings.directoryFromCondition(
                                        "HasRecipientCertificate", url + "; bindDn=" + SERVICE))
                .hasMessageStartingWith("HasRecipientCertificate: bindDn and passwordSecret");
        assertThatThrownBy(
                        () ->
                                SmimeSettings.directoryFromCondition(
                                        "HasRecipientCertificate",
                                        url + "; password=" + PASSWORD_1))
                .hasMessageStartingWith("HasRecipientCertificate: after the LDAP URL only");
        assertThatThrownBy(
                        () ->
                                SmimeSettings.directoryFromCondition(
                                        "HasRecipientCertificate",
                                        url
                                                + "; bindDn="
                                                + SERVICE
                                                + "; passwordSecret=ldap/nobody; dkmConfig="
                                                + props))
                .hasMessageStartingWith("HasRecipientCertificate: passwordSecret: 'ldap/nobody'");
        assertThatThrownBy(
                        () ->
                                SmimeSettings.directoryFromCondition(
                                        "HasRecipientCertificate",
                                        url
                                                + "; bindDn="
                                                + SERVICE
                                                + "; passwordSecret=ldap/mailsec; dkmConfig=/no/such/dkm.properties"))
                .hasMessageContaining("dkmConfig")
                .hasMessageContaining("/no/such/dkm.properties");
        assertThatThrownBy(
                        () ->
                                SmimeSettings.directoryFromCondition(
                                        "HasRecipientCertificate", url + "; dkmConfig=" + props))
                .hasMessageContaining("dkmConfig is only used with bindDn");
    }

    @Test
    void anLdapCrlThatOnlyUsersMayReadIsReadWithTheBindAndIsUnavailableWithout() {
        ChainValidator.Outcome bound =
                new ChainValidator(
                                TrustAnchors.of(List.of(adCa.ca)),
                                new CachingCrlSource(
                                        Duration.ofSeconds(3),
                                        Duration.ofHours(1),
                                        Clock.systemUTC(),
                                        LdapServer.of(
                                                slapd.url(),
                                                LdapBind.withDkmSecret(
                                                        SERVICE, dkm, "ldap/mailsec"),
                                                LdapTls.jvmDefault())),
                                Clock.systemUTC())
                        .check(revoked.certificate(), List.of());
        assertThat(bound.ok()).isFalse();
        assertThat(bound.temporary()).isFalse();
        assertThat(bound.reason()).contains("revoked");

        ChainValidator.Outcome anonymous =
                new ChainValidator(
                                TrustAnchors.of(List.of(adCa.ca)),
                                new CachingCrlSource(
                                        Duration.ofSeconds(3),
                                        Duration.ofHours(1),
                                        Clock.systemUTC(),
                                        LdapServer.of(
                                                slapd.url(),
                                                LdapBind.anonymous(),
                                                LdapTls.jvmDefault())),
                                Clock.systemUTC())
                        .check(revoked.certificate(), List.of());
        assertThat(anonymous.ok()).isFalse();
        assertThat(anonymous.temporary()).as("a CRL we may not read is not 'not revoked'").isTrue();
    }

    @Test
    void theCrlBindIsNeverSentToAServerACertificateNames() throws Exception {
        try (ServerSocket other = new ServerSocket(0)) {
            SmimeTestPki elsewhere =
                    new SmimeTestPki(
                            "Elsewhere CA",
                            "ldap://127.0.0.1:"
                                    + other.getLocalPort()
                                    + "/cn=Elsewhere%20CA,ou=pki,dc=example,dc=test");
            SmimeKeyPair user = elsewhere.user("someone@example.test");
            CompletableFuture<byte[]> received =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try (Socket s = other.accept()) {
                                    s.setSoTimeout(3000);
                                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                                    InputStream in = s.getInputStream();
                                    byte[] buffer = new byte[4096];
                                    // the LDAP bind request is the first message; read what comes
                                    // until the client waits for an answer
                                    try {
                                        int n;
                                        while ((n = in.read(buffer)) > 0) {
                                            bytes.write(buffer, 0, n);
                                        }
                                    } catch (SocketTimeoutException e) {
                                        // the client waits for the bind response: everything it
                                        // sends first is here
                                    }
                                    return bytes.toByteArray();
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
            ChainValidator.Outcome outcome =
                    new ChainValidator(
                                    TrustAnchors.of(List.of(elsewhere.ca)),
                                    new CachingCrlSource(
                                            Duration.ofSeconds(5),
                                            Duration.ofHours(1),
                                            Clock.systemUTC(),
                                            LdapServer.of(
                                                    slapd.url(),
                                                    LdapBind.withDkmSecret(
                                                            SERVICE, dkm, "ldap/mailsec"),
                                                    LdapTls.jvmDefault())),
                                    Clock.systemUTC())
                            .check(user.certificate(), List.of());
            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.temporary()).isTrue();
            String sent =
                    new String(received.get(10, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1);
            assertThat(sent).as("the client did connect and bind").isNotEmpty();
            assertThat(sent)
                    .doesNotContain(PASSWORD_1)
                    .doesNotContain(PASSWORD_2)
                    .doesNotContain("mailsec");
        }
    }

    @Test
    void onlyTheConfiguredServerCountsAsTheSame() {
        String configured = "ldap://dc1.example.test";
        assertThat(
                        CachingCrlSource.sameServer(
                                URI.create("ldap://DC1.example.test:389/cn=x"), configured))
                .isTrue();
        assertThat(
                        CachingCrlSource.sameServer(
                                URI.create("ldap://dc1.example.test/cn=x"), configured))
                .isTrue();
        assertThat(
                        CachingCrlSource.sameServer(
                                URI.create("ldap://dc1.example.test:3268/cn=x"), configured))
                .isFalse();
        assertThat(
                        CachingCrlSource.sameServer(
                                URI.create("ldaps://dc1.example.test/cn=x"), configured))
                .isFalse();
        assertThat(
                        CachingCrlSource.sameServer(
                                URI.create("ldap://dc1.example.test.evil.test/cn=x"), configured))
                .isFalse();
        assertThat(
                        CachingCrlSource.sameServer(
                                URI.create("ldaps://dc1.example.test:636/cn=x"),
                                "ldaps://dc1.example.test"))
                .isTrue();
        assertThat(CachingCrlSource.sameServer(URI.create("ldap://dc1.example.test/cn=x"), null))
                .isFalse();
    }

    @Test
    void aPasswordFromTheConfigurationIsNeverShown() throws Exception {
        LdapBind bind = LdapBind.withPassword(SERVICE, PASSWORD_1.toCharArray());
        assertThat(bind.toString()).contains(SERVICE).doesNotContain(PASSWORD_1);
        assertThat(bind.refreshable()).isFalse();
        assertThat(directory(bind).lookup("bob@example.test")).containsExactly(bob.certificate());
        Hashtable<String, Object> env = new Hashtable<>();
        bind.applyTo(env, false);
        char[] given = (char[]) env.get(Context.SECURITY_CREDENTIALS);
        LdapBind.wipe(env);
        assertThat(new String(given)).isEqualTo("\0".repeat(PASSWORD_1.length()));
        assertThat(directory(bind).lookup("bob@example.test"))
                .as("wiping a connection's copy keeps the bind usable")
                .hasSize(1);
    }
}
