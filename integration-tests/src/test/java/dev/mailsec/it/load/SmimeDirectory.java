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

/**
 * The S/MIME certificate directory of a fault run: a real slapd holding certificates (from a test
 * CA) for ten of {@link LoadedJames}'s forty local users, u0..u9; the edit that makes the installed
 * sample pipeline's local S/MIME step ({@code HasRecipientCertificate} + {@code EncryptSmime} in
 * {@code local-delivery}) read certificates from it instead of {@code conf/smime/certs}, answers
 * kept 2 s (so a fault reaches the lookups), directory faults sent to a hold processor ({@code
 * onMatchException} and {@code errorProcessor}, as docs/smime.md says); and the fault itself: slapd
 * killed mid-run, started again on its database, held mail reprocessed.
 */
final class SmimeDirectory implements AutoCloseable {

    /** The repository mail waits in while the directory is down. */
    static final String HOLD = "var/mail/smime-directory-down";

    private static final String BASE = "ou=people,dc=example,dc=test";

    private final Path dir;
    private final Path ca;
    private final List<String> users = new ArrayList<>();
    private Slapd slapd;

    private SmimeDirectory(Path dir) throws Exception {
        this.dir = Files.createDirectories(dir);
        SmimeTestPki pki = new SmimeTestPki("LDAP fault CA");
        ca = dir.resolve("ca.pem");
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
            users.add(user + "@example.test");
            Path der = dir.resolve(user + ".der");
            Files.write(der, pki.user(user + "@example.test").certificate().getEncoded());
            ldif.append("dn: uid=" + user + "," + BASE + "\nobjectClass: inetOrgPerson\n")
                    .append("uid: " + user + "\ncn: " + user + "\nsn: " + user + "\n")
                    .append("mail: " + user + "@example.test\n")
                    .append("userCertificate;binary:< file://" + der + "\n\n");
        }
        slapd = Slapd.start(dir, Slapd.freePort(), ldif.toString());
    }

    /** Starts slapd in {@code dir} with the certificates. */
    static SmimeDirectory start(Path dir) throws Exception {
        return new SmimeDirectory(dir);
    }

    /** The local users whose certificate is in the directory (their mail must be encrypted). */
    List<String> users() {
        return List.copyOf(users);
    }

    /** The pipeline edit: the local S/MIME step reads this directory, holds on its faults. */
    LoadedJames.HomeEdit pipeline() {
        String url = slapd.url();
        return home -> {
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
                            + "                <onMatchException>smime-directory-down"
                            + "</onMatchException>\n"
                            + "                <errorProcessor>smime-directory-down"
                            + "</errorProcessor>\n"
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
                            + "            <mailet match=\"All\""
                            + " class=\"dev.mailsec.mailets.HoldInRepository\">\n"
                            + "                <repositoryPath>file://"
                            + HOLD
                            + "/</repositoryPath>\n"
                            + "            </mailet>\n"
                            + "        </processor>\n\n"
                            + "        <processor state=\"rrt-error\"");
        };
    }

    /**
     * The fault under load: {@code phase} of traffic, slapd killed (SIGKILL) until mail is held and
     * for another phase, started again, a phase more; then held mail back to {@code
     * local-delivery}, everything counted out, and some mail delivered S/MIME-encrypted.
     */
    void killedMidRun(LoadedJames loaded, Duration phase, Duration drain) throws Exception {
        String run = "ldap";
        LoadDriver driver = loaded.driver(run);
        driver.start();
        awaitSent(driver, phase);
        slapd.kill();
        try {
            await("mail held in " + HOLD, Duration.ofSeconds(120), () -> loaded.held(HOLD) > 0);
            awaitSent(driver, phase.multipliedBy(2));
        } finally {
            slapd = slapd.restart();
        }
        awaitSent(driver, phase.multipliedBy(3));
        List<LoadDriver.Sent> sent = driver.stop();
        long held = loaded.held(HOLD);

        loaded.reprocess(HOLD, "local-delivery");
        MailCount c = loaded.awaitCountedOut(run, sent, drain);
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

    @Override
    public void close() throws InterruptedException {
        slapd.close();
    }

    @Override
    public String toString() {
        return "SmimeDirectory[" + dir + "]";
    }
}
