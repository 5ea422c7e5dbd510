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
import java.nio.file.StandardCopyOption;
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

    /**
     * The install flag that makes the sample pipeline's local S/MIME step read this directory and
     * hold mail on its faults in {@link #HOLD} ({@code mailsec install --smime-directory}).
     */
    List<String> installFlags() {
        return List.of("--smime-directory", slapd.url() + "/" + BASE);
    }

    /**
     * What an operator does after such an install, and the test's one shortcut: the directory's CA
     * in {@code conf/smime/ca.pem} (the CAs recipients' certificates must chain to, which install
     * makes from the JDK's public ones and tells the operator to replace), and answers kept 2 s
     * instead of 600 s in both the matcher and the mailet, so a fault of seconds reaches the
     * lookups. The edits fail if install did not write the LDAP step and its hold.
     */
    LoadedJames.HomeEdit pipeline() {
        String directory = slapd.url() + "/" + BASE;
        return home -> {
            Files.copy(ca, home.resolve("conf/smime/ca.pem"), StandardCopyOption.REPLACE_EXISTING);
            Path conf = home.resolve("conf/mailetcontainer.xml");
            String xml = Files.readString(conf);
            assertThat(xml)
                    .contains("<onMatchException>smime-directory-down</onMatchException>")
                    .contains("<errorProcessor>smime-directory-down</errorProcessor>")
                    .contains("<repositoryPath>file://" + HOLD + "/</repositoryPath>");
            InstalledJames.edit(
                    conf,
                    "HasRecipientCertificate=" + directory + "; trustAnchors=conf/smime/ca.pem\"",
                    "HasRecipientCertificate="
                            + directory
                            + "; cacheTtl=2; trustAnchors=conf/smime/ca.pem\"");
            InstalledJames.edit(
                    conf,
                    "<ldapBaseDn>" + BASE + "</ldapBaseDn>",
                    "<ldapBaseDn>"
                            + BASE
                            + "</ldapBaseDn>\n"
                            + "                <ldapCacheTtl>2</ldapCacheTtl>");
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
