package dev.mailsec.it.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DMARC through a real James 3.8.1, with docs/dmarc.md's sample pipeline: VerifyDkim then
 * VerifyDmarc over a zone file (bank.test publishes p=reject, quarantine.test p=quarantine); mail
 * signed by dkimpy (Debian's python3-dkim) arrives with dmarc=pass; a forged p=reject mail is
 * bounced with 5.7.1 to its envelope sender (a local user here, so the DSN can be read) and never
 * reaches the INBOX; a forged p=quarantine mail lands in the dmarc-quarantine repository.
 */
class DmarcEndToEndTest {

    static final Fixture FIX = Fixture.create();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("bob@mailsec.test", "secret")
                    .user("alice@mailsec.test", "secret")
                    .withWebAdmin()
                    .rootMailets(
                            ""
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.dkim.VerifyDkim\">\n"
                                    + "  <authservId>mx.mailsec.test</authservId>\n"
                                    + "  <zoneFile>"
                                    + FIX.zone
                                    + "</zoneFile>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.dmarc.VerifyDmarc\">\n"
                                    + "  <authservId>mx.mailsec.test</authservId>\n"
                                    + "  <zoneFile>"
                                    + FIX.zone
                                    + "</zoneFile>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"dev.mailsec.matchers.dmarc.DmarcPolicyIs=quarantine\" class=\"ToRepository\">\n"
                                    + "  <repositoryPath>memory://var/mail/dmarc-quarantine/</repositoryPath>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"dev.mailsec.matchers.dmarc.DmarcPolicyIs=reject\" class=\"ToProcessor\">\n"
                                    + "  <processor>dmarc-reject</processor>\n"
                                    + "</mailet>\n")
                    .extraProcessors(
                            ""
                                    + "<processor state=\"dmarc-reject\" enableJmx=\"false\">\n"
                                    + "  <mailet match=\"All\" class=\"SetMailAttribute\">\n"
                                    + "    <delivery-error>550 5.7.1 Rejected by the DMARC policy of the From domain</delivery-error>\n"
                                    + "  </mailet>\n"
                                    + "  <mailet match=\"All\" class=\"DSNBounce\"><passThrough>false</passThrough></mailet>\n"
                                    + "</processor>\n")
                    .build();

    @Test
    void signedMailFromAPrejectDomainPassesDmarc() throws Exception {
        send(FIX.sign("teller@bank.test", "signed", true));
        MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", "signed");
        String ar = MimeUtility.unfold(read.getHeader("Authentication-Results")[0]);
        assertThat(ar)
                .contains("dkim=pass")
                .contains("dmarc=pass header.from=bank.test policy.dmarc=reject");
    }

    @Test
    void forgedMailFromAPrejectDomainIsBouncedWith571AndNotDelivered() throws Exception {
        send(FIX.sign("teller@bank.test", "forged", false));
        // the DSN goes to the envelope sender, alice: once it is there, the mail was refused
        MimeMessage dsn = awaitFirst("alice@mailsec.test");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        dsn.writeTo(raw);
        String text = raw.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("5.7.1");
        assertThat(james.harness().subjects("bob@mailsec.test", "secret")).doesNotContain("forged");
    }

    @Test
    void forgedMailFromAPquarantineDomainIsQuarantined() throws Exception {
        send(FIX.sign("carol@quarantine.test", "suspicious", false));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long held = 0;
        while (System.nanoTime() < deadline && held == 0) {
            held = james.harness().webAdmin().repositorySize("var/mail/dmarc-quarantine");
            Thread.sleep(200);
        }
        assertThat(held).isEqualTo(1);
        assertThat(james.harness().subjects("bob@mailsec.test", "secret"))
                .doesNotContain("suspicious");
    }

    /** Over plain SMTP, envelope sender alice@mailsec.test (a local user, to read a DSN). */
    private static void send(byte[] message) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "localhost");
        props.put(
                "mail.smtp.port", Integer.toString(james.harness().smtpPort(Delivery.Mode.PLAIN)));
        props.put("mail.smtp.localhost", "client.mailsec.test");
        props.put("mail.smtp.from", "alice@mailsec.test");
        Session session = Session.getInstance(props);
        MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(message));
        try (Transport t = session.getTransport("smtp")) {
            t.connect();
            t.sendMessage(m, new InternetAddress[] {new InternetAddress("bob@mailsec.test")});
        }
    }

    private static MimeMessage awaitFirst(String user) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (String subject : james.harness().subjects(user, "secret")) {
                return james.awaitMessage(user, "secret", subject);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no bounce arrived for " + user);
    }

    /** An RSA key for bank.test and the DMARC records, in a zone file; dkimpy signs. */
    static final class Fixture {
        final Path zone;
        final Path key;

        private Fixture(Path zone, Path key) {
            this.zone = zone;
            this.key = key;
        }

        static Fixture create() {
            try {
                Path dir = Files.createTempDirectory("mailsec-dmarc-it");
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                KeyPair kp = g.generateKeyPair();
                Path key = dir.resolve("sel.pem");
                Files.writeString(
                        key,
                        "-----BEGIN PRIVATE KEY-----\n"
                                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                                        .encodeToString(kp.getPrivate().getEncoded())
                                + "\n-----END PRIVATE KEY-----\n");
                Path zone = dir.resolve("dmarc.zone");
                Files.writeString(
                        zone,
                        "sel._domainkey.bank.test. IN TXT \"v=DKIM1; k=rsa; p="
                                + Base64.getEncoder().encodeToString(kp.getPublic().getEncoded())
                                + "\"\n"
                                + "_dmarc.bank.test. IN TXT \"v=DMARC1; p=reject\"\n"
                                + "_dmarc.quarantine.test. IN TXT \"v=DMARC1; p=quarantine\"\n");
                return new Fixture(zone, key);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * A message From {@code from}, signed by dkimpy for bank.test, then tampered if not intact.
         */
        byte[] sign(String from, String subject, boolean intact) throws Exception {
            String message =
                    "From: "
                            + from
                            + "\r\nTo: bob@mailsec.test\r\nSubject: "
                            + subject
                            + "\r\nMessage-ID: <"
                            + subject
                            + "@mailsec.test>\r\n\r\nPlease pay 100 EUR.\r\n";
            String script =
                    "import sys, dkim\n"
                            + "msg = sys.stdin.buffer.read()\n"
                            + "sig = dkim.sign(msg, b'sel', b'bank.test', open(sys.argv[1], 'rb').read(),"
                            + " canonicalize=(b'relaxed', b'relaxed'), include_headers=[b'from', b'to', b'subject'], linesep=b'\\r\\n')\n"
                            + "sys.stdout.buffer.write(sig + msg)\n";
            Process p =
                    new ProcessBuilder("/usr/bin/python3", "-c", script, key.toString()).start();
            p.getOutputStream().write(message.getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("dkimpy: %s", err).isZero();
            String signed = new String(out, StandardCharsets.ISO_8859_1);
            return (intact ? signed : signed.replace("100 EUR", "900 EUR"))
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
