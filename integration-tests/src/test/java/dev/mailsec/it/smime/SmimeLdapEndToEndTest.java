package dev.mailsec.it.smime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.store.FileStorage;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.smime.DecryptionResult;
import dev.mailsec.smime.Slapd;
import dev.mailsec.smime.SmimeDecryptor;
import dev.mailsec.smime.SmimeKeyPair;
import dev.mailsec.smime.SmimeTestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Recipient certificates from a directory set up like Active Directory, through a real James 3.8.1:
 * a real slapd that lets only authenticated users read people, reached over {@code ldaps://} with a
 * certificate from a private CA, searched as a service account whose password is an OPAQUE secret
 * in a real DKM file store (nothing secret in mailetcontainer.xml). {@code HasRecipientCertificate}
 * and {@code EncryptSmime} both bind that way: bob (certificate in the directory) receives the
 * message encrypted, and it opens with his key to the original; carol (no certificate) receives it
 * in clear; with the directory down, mail to dave (a certificate, not looked up yet) is held, never
 * delivered in clear.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmimeLdapEndToEndTest {

    static final Fixture FIX = Fixture.create();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("alice@mailsec.test", "secret")
                    .user("bob@mailsec.test", "secret")
                    .user("carol@mailsec.test", "secret")
                    .user("dave@mailsec.test", "secret")
                    .user("hold@mailsec.test", "secret")
                    .rootMailets(
                            ""
                                    // the quarantine mailbox is not looked up (held mail forwarded
                                    // there comes back through root)
                                    + "<mailet match=\"RecipientIs=hold@mailsec.test\" class=\"ToProcessor\"><processor>transport</processor></mailet>\n"
                                    + "<mailet match=\"dev.mailsec.matchers.smime.HasRecipientCertificate="
                                    + FIX.ldapsUrl
                                    + "/ou=people,dc=example,dc=test;"
                                    + " bindDn="
                                    + Fixture.SERVICE
                                    + "; passwordSecret=ldap/james; dkmConfig="
                                    + FIX.dkmConfig
                                    + "; tlsTrustAnchors="
                                    + FIX.tlsCa
                                    + "; trustAnchors="
                                    + FIX.ca
                                    + "\" class=\"dev.mailsec.mailets.smime.EncryptSmime\">\n"
                                    // James reads a matcher's fault route from the mailet's
                                    // parameters
                                    + "  <onMatchException>smime-hold</onMatchException>\n"
                                    + "  <ldapUrl>"
                                    + FIX.ldapsUrl
                                    + "</ldapUrl>\n"
                                    + "  <ldapBaseDn>ou=people,dc=example,dc=test</ldapBaseDn>\n"
                                    + "  <ldapBindDn>"
                                    + Fixture.SERVICE
                                    + "</ldapBindDn>\n"
                                    + "  <ldapPasswordSecret>ldap/james</ldapPasswordSecret>\n"
                                    + "  <ldapTlsTrustAnchors>"
                                    + FIX.tlsCa
                                    + "</ldapTlsTrustAnchors>\n"
                                    + "  <dkmConfig>"
                                    + FIX.dkmConfig
                                    + "</dkmConfig>\n"
                                    + "  <trustAnchors>"
                                    + FIX.ca
                                    + "</trustAnchors>\n"
                                    + "  <checkRevocation>false</checkRevocation>\n"
                                    + "  <policy>bounce</policy>\n"
                                    + "  <errorProcessor>smime-hold</errorProcessor>\n"
                                    + "</mailet>\n")
                    .extraProcessors(
                            ""
                                    // held mail goes to a quarantine mailbox instead of to its
                                    // recipients
                                    + "<processor state=\"smime-hold\" enableJmx=\"false\">\n"
                                    + "  <mailet match=\"All\" class=\"Forward\"><forwardTo>hold@mailsec.test</forwardTo></mailet>\n"
                                    + "</processor>\n")
                    .build();

    @AfterAll
    static void cleanUp() throws Exception {
        FIX.slapd.close();
        try (Stream<Path> files = Files.walk(FIX.root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void bobWhoseCertificateIsInTheDirectoryReceivesTheMailEncryptedAndItOpensToTheOriginal()
            throws Exception {
        send("to bob over ldaps", "bob@mailsec.test");
        MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", "to bob over ldaps");
        assertThat(read.getContentType()).startsWith("application/pkcs7-mime");
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        DecryptionResult result =
                new SmimeDecryptor()
                        .decrypt(
                                new ByteArrayInputStream(JamesExtension.bytes(read)),
                                plain,
                                List.of(FIX.bob));
        assertThat(result.summary()).contains("aes256");
        assertThat(plain.toString(StandardCharsets.ISO_8859_1)).endsWith(Fixture.BODY);
    }

    @Test
    @Order(2)
    void carolWithoutACertificateReceivesTheMailInClearAndBobStillEncrypted() throws Exception {
        send("to bob and carol over ldaps", "bob@mailsec.test", "carol@mailsec.test");
        MimeMessage carol =
                james.awaitMessage("carol@mailsec.test", "secret", "to bob and carol over ldaps");
        assertThat(carol.getContentType()).startsWith("text/plain");
        assertThat(new String(JamesExtension.bytes(carol), StandardCharsets.ISO_8859_1))
                .endsWith(Fixture.BODY);
        MimeMessage bob =
                james.awaitMessage("bob@mailsec.test", "secret", "to bob and carol over ldaps");
        assertThat(bob.getContentType()).startsWith("application/pkcs7-mime");
    }

    @Test
    @Order(3)
    void withTheDirectoryDownMailToARecipientNotLookedUpYetIsHeldNotDeliveredInClear()
            throws Exception {
        // bob's answer is cached (10 minutes); dave, who has a certificate too, has not been looked
        // up
        FIX.slapd.close();
        send("to dave with the directory down", "dave@mailsec.test");
        james.awaitMessage("hold@mailsec.test", "secret", "to dave with the directory down");
        Thread.sleep(1000);
        assertThat(james.subjects("dave@mailsec.test", "secret"))
                .doesNotContain("to dave with the directory down");
    }

    private static void send(String subject, String... to) throws Exception {
        james.sendRaw(
                ("From: alice@mailsec.test\r\nTo: bob@mailsec.test\r\nSubject: "
                                + subject
                                + "\r\nMIME-Version: 1.0\r\n"
                                + Fixture.BODY)
                        .getBytes(StandardCharsets.US_ASCII),
                to);
    }

    /** The directory, its TLS files, the S/MIME PKI and the DKM store, made before James starts. */
    static final class Fixture {
        static final String SERVICE = "uid=james,ou=services,dc=example,dc=test";
        static final String BODY =
                "Content-Type: text/plain; charset=us-ascii\r\n\r\nThe merger is on.\r\n";

        final Path root;
        final Slapd slapd;
        final String ldapsUrl;
        final Path tlsCa;
        final Path ca;
        final Path dkmConfig;
        final SmimeKeyPair bob;

        private Fixture(Path root) throws Exception {
            this.root = root;
            SmimeTestPki pki = new SmimeTestPki("LDAP E2E CA");
            bob = pki.user("bob@mailsec.test");
            ca = root.resolve("ca.pem");
            SmimeTestPki.writeCert(ca, pki.ca);
            Files.write(root.resolve("bob.der"), bob.certificate().getEncoded());
            Files.write(
                    root.resolve("dave.der"),
                    pki.user("dave@mailsec.test").certificate().getEncoded());
            Slapd.writeTlsFiles(root);
            tlsCa = root.resolve("tls-ca.pem");
            String password = "e2e-" + Long.toHexString(new SecureRandom().nextLong());
            int tlsPort = Slapd.freePort();
            slapd =
                    Slapd.start(
                            root,
                            Slapd.freePort(),
                            ""
                                    + "dn: dc=example,dc=test\nobjectClass: dcObject\nobjectClass: organization\no: example\ndc: example\n\n"
                                    + "dn: ou=people,dc=example,dc=test\nobjectClass: organizationalUnit\nou: people\n\n"
                                    + "dn: ou=services,dc=example,dc=test\nobjectClass: organizationalUnit\nou: services\n\n"
                                    + "dn: "
                                    + SERVICE
                                    + "\nobjectClass: inetOrgPerson\nuid: james\ncn: james\nsn: service\nuserPassword: "
                                    + password
                                    + "\n\n"
                                    + "dn: uid=bob,ou=people,dc=example,dc=test\nobjectClass: inetOrgPerson\nuid: bob\ncn: Bob\nsn: B\n"
                                    + "mail: bob@mailsec.test\nuserCertificate;binary:< file://"
                                    + root.resolve("bob.der")
                                    + "\n\n"
                                    + "dn: uid=carol,ou=people,dc=example,dc=test\nobjectClass: inetOrgPerson\nuid: carol\ncn: Carol\nsn: C\n"
                                    + "mail: carol@mailsec.test\n\n"
                                    + "dn: uid=dave,ou=people,dc=example,dc=test\nobjectClass: inetOrgPerson\nuid: dave\ncn: Dave\nsn: D\n"
                                    + "mail: dave@mailsec.test\nuserCertificate;binary:< file://"
                                    + root.resolve("dave.der")
                                    + "\n\n",
                            "access to attrs=userPassword by anonymous auth by * none\n"
                                    + "access to dn.subtree=\"ou=people,dc=example,dc=test\" by users read by * none\n"
                                    + "access to * by * read\n",
                            tlsPort,
                            root.resolve("server.pem"),
                            root.resolve("server.key"));
            ldapsUrl = "ldaps://127.0.0.1:" + tlsPort;
            try (FileStorage storage = FileStorage.create(root.resolve("data"));
                    KeyManager admin =
                            KeyManager.init(
                                    storage,
                                    new FileRootKeys(root.resolve("root-keys")),
                                    "admin",
                                    root.resolve("credentials/admin.cred"),
                                    Clock.systemUTC())) {
                admin.createIdentity(
                        "james-transport",
                        IdentityType.SERVICE,
                        false,
                        root.resolve("credentials/james-transport.cred"));
                admin.createGroup("mail");
                admin.addMember("mail", "james-transport");
                admin.putSecret(
                        "ldap/james",
                        "mail",
                        SecretKind.OPAQUE,
                        password.getBytes(StandardCharsets.UTF_8));
            }
            dkmConfig =
                    Files.write(
                            root.resolve("dkm.properties"),
                            Arrays.asList(
                                    "store=file:" + root.resolve("data"),
                                    "identity=" + root.resolve("credentials/james-transport.cred"),
                                    "cacheTtl=PT5M"));
        }

        static Fixture create() {
            try {
                return new Fixture(Files.createTempDirectory("mailsec-smime-ldap-e2e"));
            } catch (Exception e) {
                throw new IllegalStateException("S/MIME LDAP fixture: " + e.getMessage(), e);
            }
        }
    }
}
