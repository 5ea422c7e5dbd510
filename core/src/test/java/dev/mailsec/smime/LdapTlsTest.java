package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ldaps://} to a real slapd whose certificate comes from a private CA (as a domain
 * controller's comes from the enterprise CA): trusted through configured CA certificates, refused
 * with the JVM's trust store or another CA, refused under a name the certificate does not carry;
 * the certificate directory and LDAP CRL reads both use it.
 */
class LdapTlsTest {

    @TempDir static Path dir;

    static Slapd slapd;
    static int tlsPort;
    static SmimeTestPki pki;
    static SmimeKeyPair bob;
    static SmimeTestPki adCa;
    static SmimeKeyPair revoked;

    @BeforeAll
    static void start() throws Exception {
        // a connection to "localhost" must fail the name check: the server certificate names
        // 127.0.0.1 only
        Slapd.writeTlsFiles(dir);
        Openssl.ok(
                dir,
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "other-ca.key",
                "-out",
                "other-ca.pem",
                "-subj",
                "/CN=Other TLS CA",
                "-days",
                "2");

        pki = new SmimeTestPki("TLS directory CA");
        bob = pki.user("bob@example.test");
        adCa =
                new SmimeTestPki(
                        "AD TLS CA",
                        "ldap:///cn=AD%20TLS%20CA,ou=pki,dc=example,dc=test?certificateRevocationList?base?objectClass=cRLDistributionPoint");
        revoked = adCa.user("revoked@example.test");
        Files.write(dir.resolve("bob.der"), bob.certificate().getEncoded());
        tlsPort = Slapd.freePort();
        slapd =
                Slapd.start(
                        dir,
                        Slapd.freePort(),
                        ""
                                + "dn: dc=example,dc=test\nobjectClass: dcObject\nobjectClass: organization\no: example\ndc: example\n\n"
                                + "dn: ou=people,dc=example,dc=test\nobjectClass: organizationalUnit\nou: people\n\n"
                                + "dn: ou=pki,dc=example,dc=test\nobjectClass: organizationalUnit\nou: pki\n\n"
                                + "dn: uid=bob,ou=people,dc=example,dc=test\nobjectClass: inetOrgPerson\nuid: bob\ncn: Bob\nsn: B\n"
                                + "mail: bob@example.test\nuserCertificate;binary:< file://"
                                + dir.resolve("bob.der")
                                + "\n\n"
                                + "dn: cn=AD TLS CA,ou=pki,dc=example,dc=test\nobjectClass: cRLDistributionPoint\ncn: AD TLS CA\n"
                                + "certificateRevocationList;binary:: "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                adCa.crl(revoked.certificate()).getEncoded())
                                + "\n\n",
                        "",
                        tlsPort,
                        dir.resolve("server.pem"),
                        dir.resolve("server.key"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (slapd != null) {
            slapd.close();
        }
    }

    static LdapTls trusting(String pem) throws Exception {
        return LdapTls.trusting(TrustAnchors.load(dir.resolve(pem)));
    }

    static LdapCertificateDirectory directory(String url, LdapTls tls) {
        return new LdapCertificateDirectory(
                url,
                "ou=people,dc=example,dc=test",
                LdapBind.withPassword("cn=admin,dc=example,dc=test", "secret".toCharArray()),
                tls,
                LdapCertificateDirectory.DEFAULT_FILTER,
                Duration.ofSeconds(3),
                Duration.ZERO,
                Clock.systemUTC());
    }

    @Test
    void ldapsWithTheConfiguredCaBindsAndFindsTheCertificate() throws Exception {
        assertThat(
                        directory("ldaps://127.0.0.1:" + tlsPort, trusting("tls-ca.pem"))
                                .lookup("bob@example.test"))
                .containsExactly(bob.certificate());
    }

    @Test
    void theTrustWorksWhereTheContextClassLoaderCannotSeeMailsec() throws Exception {
        // in James the mailet runs with James's context class loader, not the one of
        // extensions-jars
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(new URLClassLoader(new URL[0], null));
        try {
            assertThat(
                            directory("ldaps://127.0.0.1:" + tlsPort, trusting("tls-ca.pem"))
                                    .lookup("bob@example.test"))
                    .hasSize(1);
        } finally {
            thread.setContextClassLoader(saved);
        }
    }

    @Test
    void anUntrustedOrMisnamedServerIsAFaultBeforeAnyPasswordIsSent() throws Exception {
        assertThatThrownBy(
                        () ->
                                directory("ldaps://127.0.0.1:" + tlsPort, LdapTls.jvmDefault())
                                        .lookup("bob@example.test"))
                .as("the JVM's trust store does not know the private CA")
                .isInstanceOf(IOException.class)
                .hasMessageContaining("PKIX path building failed");
        assertThatThrownBy(
                        () ->
                                directory("ldaps://127.0.0.1:" + tlsPort, trusting("other-ca.pem"))
                                        .lookup("bob@example.test"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(
                        () ->
                                directory("ldaps://localhost:" + tlsPort, trusting("tls-ca.pem"))
                                        .lookup("bob@example.test"))
                .as("the certificate names 127.0.0.1 only")
                .isInstanceOf(IOException.class)
                .hasMessageContaining("No name matching localhost");
    }

    @Test
    void anLdapsCrlServerUsesItsOwnTrust() {
        ChainValidator.Outcome trusted =
                new ChainValidator(
                                TrustAnchors.of(List.of(adCa.ca)),
                                new CachingCrlSource(
                                        Duration.ofSeconds(3),
                                        Duration.ofHours(1),
                                        Clock.systemUTC(),
                                        LdapServer.of(
                                                "ldaps://127.0.0.1:" + tlsPort,
                                                LdapBind.anonymous(),
                                                uncheckedTrusting("tls-ca.pem"))),
                                Clock.systemUTC())
                        .check(revoked.certificate(), List.of());
        assertThat(trusted.ok()).isFalse();
        assertThat(trusted.temporary()).isFalse();
        assertThat(trusted.reason()).contains("revoked");
        ChainValidator.Outcome untrusted =
                new ChainValidator(
                                TrustAnchors.of(List.of(adCa.ca)),
                                new CachingCrlSource(
                                        Duration.ofSeconds(3),
                                        Duration.ofHours(1),
                                        Clock.systemUTC(),
                                        LdapServer.of(
                                                "ldaps://127.0.0.1:" + tlsPort,
                                                LdapBind.anonymous(),
                                                LdapTls.jvmDefault())),
                                Clock.systemUTC())
                        .check(revoked.certificate(), List.of());
        assertThat(untrusted.ok()).isFalse();
        assertThat(untrusted.temporary()).isTrue();
    }

    @Test
    void settingsTakeTlsTrustOnlyForLdapsAndNameTheParameter() throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put("ldapUrl", "ldaps://127.0.0.1:" + tlsPort);
        p.put("ldapBaseDn", "ou=people,dc=example,dc=test");
        p.put("ldapTlsTrustAnchors", dir.resolve("tls-ca.pem").toString());
        assertThat(SmimeSettings.directory(p::get, () -> null).lookup("bob@example.test"))
                .containsExactly(bob.certificate());
        p.put("ldapUrl", slapd.url());
        assertThatThrownBy(() -> SmimeSettings.directory(p::get, () -> null))
                .hasMessageStartingWith("ldapTlsTrustAnchors: only used with an ldaps:// ldapUrl");
        p.put("ldapUrl", "ldaps://127.0.0.1:" + tlsPort);
        p.put("ldapTlsTrustAnchors", dir.resolve("none.pem").toString());
        assertThatThrownBy(() -> SmimeSettings.directory(p::get, () -> null))
                .hasMessageStartingWith("ldapTlsTrustAnchors")
                .hasMessageContaining("none.pem");

        Map<String, String> crl = new HashMap<>();
        crl.put("crlLdapTlsTrustAnchors", dir.resolve("tls-ca.pem").toString());
        assertThatThrownBy(() -> SmimeSettings.crlLdapServer(crl::get, () -> null))
                .hasMessageContaining("crlLdapUrl");
        crl.put("crlLdapUrl", "ldaps://127.0.0.1:" + tlsPort);
        assertThat(SmimeSettings.crlLdapServer(crl::get, () -> null).tls().toString())
                .contains("1 configured CA certificate");

        CertificateDirectory fromCondition =
                SmimeSettings.directoryFromCondition(
                        "HasRecipientCertificate",
                        "ldaps://127.0.0.1:"
                                + tlsPort
                                + "/ou=people,dc=example,dc=test; tlsTrustAnchors="
                                + dir.resolve("tls-ca.pem"));
        assertThat(fromCondition.lookup("bob@example.test")).containsExactly(bob.certificate());
        assertThatThrownBy(
                        () ->
                                SmimeSettings.directoryFromCondition(
                                        "HasRecipientCertificate",
                                        slapd.url()
                                                + "/ou=people,dc=example,dc=test; tlsTrustAnchors="
                                                + dir.resolve("tls-ca.pem")))
                .hasMessageStartingWith(
                        "HasRecipientCertificate: tlsTrustAnchors: only used with an ldaps:// URL");
    }

    private static LdapTls uncheckedTrusting(String pem) {
        try {
            return trusting(pem);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
