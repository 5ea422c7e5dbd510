package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real OpenLDAP slapd (Debian packages {@code slapd ldap-utils}) started by the test on a
 * free loopback port and loaded with users whose certificates are published the way Active
 * Directory and Outlook do: {@code userCertificate;binary} (DER) and {@code userSMIMECertificate}
 * (PKCS#7).
 */
class LdapCertificateDirectoryTest {

    @TempDir static Path dir;

    static Slapd slapd;
    static int port;
    static SmimeTestPki pki;
    static SmimeKeyPair bob;
    static SmimeKeyPair carol;

    @BeforeAll
    static void startSlapd() throws Exception {
        pki = new SmimeTestPki("LDAP CA");
        bob = pki.user("bob@example.test");
        carol = pki.user("carol@example.test");
        Files.write(dir.resolve("bob.der"), bob.certificate().getEncoded());
        SmimeTestPki.writeCert(dir.resolve("carol.pem"), carol.certificate());
        Openssl.ok(
                dir,
                "openssl",
                "crl2pkcs7",
                "-nocrl",
                "-certfile",
                "carol.pem",
                "-outform",
                "DER",
                "-out",
                "carol.p7b");
        slapd =
                Slapd.start(
                        dir,
                        Slapd.freePort(),
                        ""
                                + "dn: dc=example,dc=test\nobjectClass: dcObject\nobjectClass: organization\no: example\ndc: example\n\n"
                                + "dn: ou=people,dc=example,dc=test\nobjectClass: organizationalUnit\nou: people\n\n"
                                + "dn: uid=bob,ou=people,dc=example,dc=test\nobjectClass: inetOrgPerson\nuid: bob\ncn: Bob\nsn: B\n"
                                + "mail: bob@example.test\nuserCertificate;binary:< file://"
                                + dir.resolve("bob.der")
                                + "\n\n"
                                + "dn: uid=carol,ou=people,dc=example,dc=test\nobjectClass: inetOrgPerson\nuid: carol\ncn: Carol\nsn: C\n"
                                + "mail: Carol@Example.test\nuserSMIMECertificate:< file://"
                                + dir.resolve("carol.p7b")
                                + "\n\n"
                                + "dn: uid=nocert,ou=people,dc=example,dc=test\nobjectClass: inetOrgPerson\nuid: nocert\ncn: N\nsn: N\n"
                                + "mail: nocert@example.test\n");
        port = slapd.port;
    }

    @AfterAll
    static void stopSlapd() throws Exception {
        if (slapd != null) {
            slapd.close();
        }
    }

    static LdapCertificateDirectory directory(String bindDn, char[] password) {
        return directory(
                bindDn == null ? LdapBind.anonymous() : LdapBind.withPassword(bindDn, password));
    }

    static LdapCertificateDirectory directory(LdapBind bind) {
        return new LdapCertificateDirectory(
                "ldap://127.0.0.1:" + port,
                "ou=people,dc=example,dc=test",
                bind,
                LdapCertificateDirectory.DEFAULT_FILTER,
                Duration.ofSeconds(3),
                Duration.ofMinutes(10),
                Clock.systemUTC());
    }

    @Test
    void lookupShouldReadDerAndPkcs7PublishedCertificates() throws Exception {
        LdapCertificateDirectory ldap = directory(null, null);
        assertThat(ldap.lookup("bob@example.test")).containsExactly(bob.certificate());
        assertThat(ldap.lookup("CAROL@example.test")).containsExactly(carol.certificate());
        assertThat(ldap.lookup("nocert@example.test")).isEmpty();
        assertThat(ldap.lookup("nobody@example.test")).isEmpty();
        assertThat(
                        directory("cn=admin,dc=example,dc=test", "secret".toCharArray())
                                .lookup("bob@example.test"))
                .hasSize(1);
    }

    @Test
    void lookupShouldTreatFilterSyntaxInTheAddressAsText() throws Exception {
        LdapCertificateDirectory ldap = directory(null, null);
        assertThat(ldap.lookup("*")).isEmpty();
        assertThat(ldap.lookup("*)(mail=*")).isEmpty();
        assertThat(ldap.lookup("bob@example.test)(|(mail=*")).isEmpty();
    }

    @Test
    void recipientSelectionShouldUseTheDirectoryAndAWrongPasswordShouldBeAFaultNotAnEmptyAnswer()
            throws Exception {
        RecipientCertificates selector =
                new RecipientCertificates(
                        directory(null, null),
                        new ChainValidator(
                                TrustAnchors.of(List.of(pki.ca)), null, Clock.systemUTC()),
                        Clock.systemUTC());
        assertThat(selector.usableFor("bob@example.test")).contains(bob.certificate());
        LdapCertificateDirectory wrong =
                directory("cn=admin,dc=example,dc=test", "wrong".toCharArray());
        assertThatThrownBy(() -> wrong.lookup("bob@example.test"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("LDAP")
                .hasMessageNotContaining("wrong");
        assertThat(wrong.toString()).doesNotContain("wrong");
    }

    @Test
    void anUnreachableDirectoryIsAFaultAndCachedAnswersSurviveIt() throws Exception {
        LdapCertificateDirectory ldap = directory(null, null);
        assertThat(ldap.lookup("bob@example.test")).hasSize(1);
        int deadPort = Slapd.freePort();
        LdapCertificateDirectory dead =
                new LdapCertificateDirectory(
                        "ldap://127.0.0.1:" + deadPort,
                        "dc=example,dc=test",
                        LdapBind.anonymous(),
                        LdapCertificateDirectory.DEFAULT_FILTER,
                        Duration.ofSeconds(2),
                        Duration.ofMinutes(10),
                        Clock.systemUTC());
        assertThatThrownBy(() -> dead.lookup("bob@example.test")).isInstanceOf(IOException.class);
        assertThatThrownBy(
                        () ->
                                new LdapCertificateDirectory(
                                        "http://x",
                                        "dc=x",
                                        LdapBind.anonymous(),
                                        "(mail={0})",
                                        Duration.ofSeconds(1),
                                        Duration.ofSeconds(1),
                                        Clock.systemUTC()))
                .hasMessageContaining("ldapUrl");
    }

    @Test
    void answersAreCachedForLdapCacheTtlAndNotAtAllWithZero() throws Exception {
        slapd.modify(
                dir,
                "dn: uid=dave,ou=people,dc=example,dc=test\nchangetype: add\nobjectClass: inetOrgPerson\nuid: dave\n"
                        + "cn: Dave\nsn: D\nmail: dave@example.test\nuserCertificate;binary:< file://"
                        + dir.resolve("bob.der")
                        + "\n");
        Map<String, String> p = new HashMap<>();
        p.put("ldapUrl", "ldap://127.0.0.1:" + port);
        p.put("ldapBaseDn", "ou=people,dc=example,dc=test");
        CertificateDirectory cached = SmimeSettings.directory(p::get, () -> null);
        p.put("ldapCacheTtl", "0");
        CertificateDirectory uncached = SmimeSettings.directory(p::get, () -> null);
        assertThat(cached.lookup("dave@example.test")).hasSize(1);
        assertThat(uncached.lookup("dave@example.test")).hasSize(1);

        slapd.modify(
                dir,
                "dn: uid=dave,ou=people,dc=example,dc=test\nchangetype: modify\ndelete: userCertificate;binary\n");
        assertThat(cached.lookup("dave@example.test")).as("ten minutes by default").hasSize(1);
        assertThat(uncached.lookup("dave@example.test")).isEmpty();

        p.put("ldapCacheTtl", "-1");
        assertThatThrownBy(() -> SmimeSettings.directory(p::get, () -> null))
                .hasMessage("ldapCacheTtl: must be a number of seconds from 0 to 86400, got '-1'");
        p.put("ldapCacheTtl", "60");
        p.put("ldapTimeout", "0");
        assertThatThrownBy(() -> SmimeSettings.directory(p::get, () -> null))
                .hasMessageStartingWith("ldapTimeout:");
        assertThatThrownBy(
                        () ->
                                SmimeSettings.directoryFromCondition(
                                        "HasRecipientCertificate",
                                        "ldap://127.0.0.1:"
                                                + port
                                                + "/ou=people,dc=example,dc=test; cacheTtl=ten"))
                .hasMessageStartingWith(
                        "HasRecipientCertificate: cacheTtl: must be a number of seconds");
    }
}
