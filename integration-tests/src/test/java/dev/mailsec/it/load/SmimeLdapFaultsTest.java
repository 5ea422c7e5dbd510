package dev.mailsec.it.load;

import static dev.mailsec.it.load.FaultsEndToEndTest.awaitSent;
import static dev.mailsec.it.load.FaultsEndToEndTest.report;
import static dev.mailsec.it.load.LoadedJames.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.InstalledJames;
import dev.mailsec.smime.Slapd;
import dev.mailsec.smime.SmimeTestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S/MIME certificate directory (a real slapd) killed while the installed James is under {@link
 * LoadDriver}'s mixed load. The sample pipeline's local S/MIME step ({@code
 * HasRecipientCertificate} + {@code EncryptSmime} in {@code local-delivery}) reads certificates
 * from the slapd instead of {@code conf/smime/certs}, with answers kept 2 s (so the fault reaches
 * the lookups) and directory faults sent to a hold processor ({@code onMatchException} and {@code
 * errorProcessor}, as docs/smime.md says to); ten of the forty local users have a certificate
 * there. slapd is killed (SIGKILL) mid-run, started again on the same database, the held mail is
 * sent back to {@code local-delivery} as docs/faults.md says; then every mail accepted is counted
 * out exactly once, and every mail in those ten mailboxes must be S/MIME-encrypted (none delivered
 * in clear). Long run ({@code -Dmailsec.faults.long=true}) only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "mailsec.faults.long", matches = "true")
class SmimeLdapFaultsTest {

    private static final Duration PHASE = FaultsEndToEndTest.PHASE;
    private static final String HOLD = "var/mail/smime-directory-down";
    private static final String BASE = "ou=people,dc=example,dc=test";

    @TempDir static Path work;
    private Slapd slapd;
    private LoadedJames loaded;
    private final List<String> withCertificate = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        Path ldap = Files.createDirectories(work.resolve("ldap"));
        SmimeTestPki pki = new SmimeTestPki("LDAP fault CA");
        Path ca = ldap.resolve("ca.pem");
        SmimeTestPki.writeCert(ca, pki.ca);
        StringBuilder ldif =
                new StringBuilder(
                        "dn: dc=example,dc=test\nobjectClass: dcObject\nobjectClass: organization\n"
                                + "o: example\ndc: example\n\n"
                                + "dn: "
                                + BASE
                                + "\nobjectClass: organizationalUnit\nou: people\n\n");
        for (int i = 0; i < 10; i++) {
            String user = "u" + i;
            withCertificate.add(user + "@example.test");
            Path der = ldap.resolve(user + ".der");
            Files.write(der, pki.user(user + "@example.test").certificate().getEncoded());
            ldif.append("dn: uid=" + user + "," + BASE + "\nobjectClass: inetOrgPerson\n")
                    .append("uid: " + user + "\ncn: " + user + "\nsn: " + user + "\n")
                    .append("mail: " + user + "@example.test\n")
                    .append("userCertificate;binary:< file://" + der + "\n\n");
        }
        slapd = Slapd.start(ldap, Slapd.freePort(), ldif.toString());
        String url = slapd.url();
        loaded =
                LoadedJames.start(
                        work,
                        List.of(),
                        home -> {
                            Path conf = home.resolve("conf/mailetcontainer.xml");
                            InstalledJames.editFirst(
                                    conf,
                                    "HasRecipientCertificate=conf/smime/certs\""
                                            + " class=\"dev\\.mailsec\\.mailets\\.smime\\.EncryptSmime\">"
                                            + "\\s*<certificateFolder>conf/smime/certs</certificateFolder>"
                                            + "\\s*<trustAnchors>conf/smime/ca\\.pem</trustAnchors>",
                                    "HasRecipientCertificate="
                                            + url
                                            + "/"
                                            + BASE
                                            + "; cacheTtl=2; trustAnchors="
                                            + ca
                                            + "\" class=\"dev.mailsec.mailets.smime.EncryptSmime\">\n"
                                            + "                <onMatchException>smime-directory-down</onMatchException>\n"
                                            + "                <errorProcessor>smime-directory-down</errorProcessor>\n"
                                            + "                <ldapUrl>"
                                            + url
                                            + "</ldapUrl>\n"
                                            + "                <ldapBaseDn>"
                                            + BASE
                                            + "</ldapBaseDn>\n"
                                            + "                <ldapCacheTtl>2</ldapCacheTtl>\n"
                                            + "                <trustAnchors>"
                                            + ca
                                            + "</trustAnchors>");
                            InstalledJames.edit(
                                    conf,
                                    "<processor state=\"rrt-error\"",
                                    "<processor state=\"smime-directory-down\" enableJmx=\"true\">\n"
                                            + "            <mailet match=\"All\" class=\"dev.mailsec.mailets.HoldInRepository\">\n"
                                            + "                <repositoryPath>file://"
                                            + HOLD
                                            + "/</repositoryPath>\n"
                                            + "            </mailet>\n"
                                            + "        </processor>\n\n"
                                            + "        <processor state=\"rrt-error\"");
                        });
        loaded.encryptedOnly(withCertificate);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (loaded != null) {
                loaded.close();
            }
        } finally {
            if (slapd != null) {
                slapd.close();
            }
        }
    }

    @Test
    void theDirectoryKilledMidRunShouldHoldThenDeliverEveryMailForItsUsersEncrypted()
            throws Exception {
        String run = "ldap";
        LoadDriver driver = loaded.driver(run);
        driver.start();
        awaitSent(driver, PHASE);
        slapd.kill();
        try {
            await("mail held in " + HOLD, Duration.ofSeconds(120), () -> loaded.held(HOLD) > 0);
            awaitSent(driver, PHASE.multipliedBy(2));
        } finally {
            slapd = slapd.restart();
        }
        awaitSent(driver, PHASE.multipliedBy(3));
        List<LoadDriver.Sent> sent = driver.stop();
        long held = loaded.held(HOLD);

        loaded.reprocess(HOLD, "local-delivery");
        MailCount c = loaded.awaitCountedOut(run, sent, FaultsEndToEndTest.DRAIN);
        report(
                run
                        + " (held before reprocess: "
                        + held
                        + ", delivered S/MIME-encrypted: "
                        + c.smimeEncrypted
                        + ")",
                driver,
                sent,
                c);
        assertThat(c.smimeEncrypted).as("mails delivered S/MIME-encrypted").isPositive();
    }
}
