package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRLs from LDAP distribution points, read from a real OpenLDAP slapd: a URL with the server in it,
 * one without (Active Directory's {@code ldap:///CN=...}, served by the configured server), and a
 * point whose first name does not answer but whose second does.
 */
class LdapCrlDistributionPointTest {

    private static final String CRL_ENTRY = "cn=Issuing%20CA,ou=pki,dc=example,dc=test";

    @TempDir static Path dir;

    static Slapd slapd;
    static int deadPort;

    /**
     * CA whose certificates name the server:
     * ldap://127.0.0.1:PORT/DN?certificateRevocationList;binary.
     */
    static SmimeTestPki withServer;

    /**
     * CA whose certificates name no server:
     * ldap:///DN?certificateRevocationList?base?objectClass=cRLDistributionPoint.
     */
    static SmimeTestPki withoutServer;

    /** CA whose one distribution point has a dead LDAP server first, then the live one. */
    static SmimeTestPki deadFirst;

    static SmimeKeyPair revoked;
    static SmimeKeyPair good;
    static SmimeKeyPair revokedNoServer;
    static SmimeKeyPair goodDeadFirst;

    @BeforeAll
    static void start() throws Exception {
        int port = Slapd.freePort();
        deadPort = Slapd.freePort();
        withServer =
                new SmimeTestPki(
                        "Issuing CA",
                        "ldap://127.0.0.1:"
                                + port
                                + "/"
                                + CRL_ENTRY
                                + "?certificateRevocationList;binary");
        withoutServer =
                new SmimeTestPki(
                        "AD Issuing CA",
                        "ldap:///cn=AD%20Issuing%20CA,ou=pki,dc=example,dc=test?certificateRevocationList?base?objectClass=cRLDistributionPoint");
        deadFirst =
                new SmimeTestPki(
                        "Third CA",
                        "ldap://127.0.0.1:"
                                + deadPort
                                + "/cn=Third%20CA,ou=pki,dc=example,dc=test "
                                + "ldap://127.0.0.1:"
                                + port
                                + "/cn=Third%20CA,ou=pki,dc=example,dc=test");
        revoked = withServer.user("revoked@example.test");
        good = withServer.user("good@example.test");
        revokedNoServer = withoutServer.user("revoked-ad@example.test");
        goodDeadFirst = deadFirst.user("good-third@example.test");
        String ldif =
                ""
                        + "dn: dc=example,dc=test\nobjectClass: dcObject\nobjectClass: organization\no: example\ndc: example\n\n"
                        + "dn: ou=pki,dc=example,dc=test\nobjectClass: organizationalUnit\nou: pki\n\n"
                        + crlEntry("Issuing CA", withServer.crl(revoked.certificate()).getEncoded())
                        + crlEntry(
                                "AD Issuing CA",
                                withoutServer.crl(revokedNoServer.certificate()).getEncoded())
                        + crlEntry("Third CA", deadFirst.crl().getEncoded());
        slapd = Slapd.start(dir, port, ldif);
    }

    private static String crlEntry(String cn, byte[] crl) {
        return "dn: cn="
                + cn
                + ",ou=pki,dc=example,dc=test\nobjectClass: cRLDistributionPoint\n"
                + "cn: "
                + cn
                + "\ncertificateRevocationList;binary:: "
                + Base64.getEncoder().encodeToString(crl)
                + "\n\n";
    }

    @AfterAll
    static void stop() throws Exception {
        if (slapd != null) {
            slapd.close();
        }
    }

    private static ChainValidator validator(SmimeTestPki pki, String ldapServer) {
        return new ChainValidator(
                TrustAnchors.of(List.of(pki.ca)),
                new CachingCrlSource(
                        Duration.ofSeconds(3),
                        Duration.ofHours(1),
                        Clock.systemUTC(),
                        ldapServer == null
                                ? LdapServer.none()
                                : LdapServer.of(
                                        ldapServer, LdapBind.anonymous(), LdapTls.jvmDefault())),
                Clock.systemUTC());
    }

    @Test
    void aCertificateListedInTheCrlOnLdapIsRevokedAndAnotherPasses() {
        ChainValidator validator = validator(withServer, null);
        ChainValidator.Outcome outcome = validator.check(revoked.certificate(), List.of());
        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.temporary()).isFalse();
        assertThat(outcome.reason()).contains("revoked");
        assertThat(validator.check(good.certificate(), List.of()).ok()).isTrue();
    }

    @Test
    void aDistributionPointWithoutServerUsesTheConfiguredOneAndIsTemporaryWithoutIt() {
        ChainValidator.Outcome served =
                validator(withoutServer, slapd.url())
                        .check(revokedNoServer.certificate(), List.of());
        assertThat(served.ok()).isFalse();
        assertThat(served.temporary()).isFalse();
        assertThat(served.reason()).contains("revoked");
        ChainValidator.Outcome unserved =
                validator(withoutServer, null).check(revokedNoServer.certificate(), List.of());
        assertThat(unserved.ok()).isFalse();
        assertThat(unserved.temporary()).as("no CRL is not 'not revoked'").isTrue();
        assertThat(unserved.reason()).contains("CRL unavailable");
    }

    @Test
    void theNextNameOfAPointIsTriedWhenTheFirstDoesNotAnswer() {
        assertThat(validator(deadFirst, null).check(goodDeadFirst.certificate(), List.of()).ok())
                .isTrue();
    }

    @Test
    void aPointNoneOfWhoseNamesAnswersIsTemporary() throws Exception {
        slapd.close();
        try {
            ChainValidator.Outcome down =
                    validator(withServer, null).check(good.certificate(), List.of());
            assertThat(down.ok()).isFalse();
            assertThat(down.temporary()).isTrue();
        } finally {
            slapd =
                    Slapd.start(
                            dir.resolve("again"),
                            slapd.port,
                            ""
                                    + "dn: dc=example,dc=test\nobjectClass: dcObject\nobjectClass: organization\no: example\ndc: example\n\n"
                                    + "dn: ou=pki,dc=example,dc=test\nobjectClass: organizationalUnit\nou: pki\n\n"
                                    + crlEntry(
                                            "Issuing CA",
                                            withServer.crl(revoked.certificate()).getEncoded())
                                    + crlEntry(
                                            "AD Issuing CA",
                                            withoutServer
                                                    .crl(revokedNoServer.certificate())
                                                    .getEncoded())
                                    + crlEntry("Third CA", deadFirst.crl().getEncoded()));
        }
    }
}
