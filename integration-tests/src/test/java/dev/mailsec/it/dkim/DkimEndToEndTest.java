package dev.mailsec.it.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import java.io.ByteArrayInputStream;
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
 * DKIM through a real James 3.8.1: VerifyDkim on every mail, mail signed by dkimpy (Debian's
 * python3-dkim) arrives with our Authentication-Results, a forged one claiming our authserv-id is
 * gone, and a tampered mail is routed by DkimResultIs to the quarantine processor.
 */
class DkimEndToEndTest {

    static final Fixture FIX = Fixture.create();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("bob@mailsec.test", "secret")
                    .rootMailets(
                            ""
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.dkim.VerifyDkim\">\n"
                                    + "  <authservId>mx.mailsec.test</authservId>\n"
                                    + "  <zoneFile>"
                                    + FIX.zone
                                    + "</zoneFile>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"dev.mailsec.matchers.dkim.DkimResultIs=fail,permerror\" class=\"ToProcessor\">\n"
                                    + "  <processor>dkim-quarantine</processor>\n"
                                    + "</mailet>\n")
                    .extraProcessors(
                            ""
                                    + "<processor state=\"dkim-quarantine\" enableJmx=\"false\">\n"
                                    + "  <mailet match=\"All\" class=\"SetMimeHeader\"><name>X-Quarantine</name><value>dkim</value></mailet>\n"
                                    + "  <mailet match=\"All\" class=\"ToProcessor\"><processor>transport</processor></mailet>\n"
                                    + "</processor>\n")
                    .build();

    @Test
    void signedMailArrivesWithOurVerdictAndWithoutTheForgedOne() throws Exception {
        String forged =
                "Authentication-Results: mx.mailsec.test; dkim=pass header.d=bank.example\r\n";
        sendRaw(
                (forged + new String(FIX.sign("intact"), StandardCharsets.ISO_8859_1))
                        .getBytes(StandardCharsets.ISO_8859_1));
        MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", "intact");
        String[] ar = read.getHeader("Authentication-Results");
        assertThat(ar).hasSize(1);
        assertThat(MimeUtility.unfold(ar[0]).replaceAll("\\s+", " "))
                .startsWith(
                        "mx.mailsec.test; dkim=pass header.d=mailsec.test header.i=@mailsec.test header.s=sel header.a=rsa-sha256 header.b=");
        assertThat(read.getHeader("X-Quarantine")).isNull();
    }

    @Test
    void tamperedMailGoesToQuarantine() throws Exception {
        String tampered =
                new String(FIX.sign("tampered"), StandardCharsets.ISO_8859_1)
                        .replace("100 EUR", "900 EUR");
        sendRaw(tampered.getBytes(StandardCharsets.ISO_8859_1));
        MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", "tampered");
        assertThat(read.getHeader("X-Quarantine")).containsExactly("dkim");
        assertThat(MimeUtility.unfold(read.getHeader("Authentication-Results")[0]))
                .contains("dkim=fail (body hash did not verify)");
    }

    private static void sendRaw(byte[] message) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "localhost");
        props.put(
                "mail.smtp.port", Integer.toString(james.harness().smtpPort(Delivery.Mode.PLAIN)));
        props.put("mail.smtp.localhost", "client.mailsec.test");
        Session session = Session.getInstance(props);
        MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(message));
        try (Transport t = session.getTransport("smtp")) {
            t.connect();
            t.sendMessage(m, new InternetAddress[] {new InternetAddress("bob@mailsec.test")});
        }
    }

    /** An RSA key for mailsec.test published in a zone file; messages signed by dkimpy. */
    static final class Fixture {
        final Path dir;
        final Path zone;
        final Path key;

        private Fixture(Path dir, Path zone, Path key) {
            this.dir = dir;
            this.zone = zone;
            this.key = key;
        }

        static Fixture create() {
            try {
                Path dir = Files.createTempDirectory("mailsec-dkim-it");
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
                Path zone = dir.resolve("keys.zone");
                Files.writeString(
                        zone,
                        "sel._domainkey.mailsec.test. IN TXT \"v=DKIM1; k=rsa; p="
                                + Base64.getEncoder().encodeToString(kp.getPublic().getEncoded())
                                + "\"\n");
                return new Fixture(dir, zone, key);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        byte[] sign(String subject) throws Exception {
            String message =
                    "From: Alice <alice@mailsec.test>\r\nTo: bob@mailsec.test\r\nSubject: "
                            + subject
                            + "\r\nMessage-ID: <"
                            + subject
                            + "@mailsec.test>\r\n\r\nPlease pay 100 EUR.\r\n";
            String script =
                    "import sys, dkim\n"
                            + "msg = sys.stdin.buffer.read()\n"
                            + "sig = dkim.sign(msg, b'sel', b'mailsec.test', open(sys.argv[1], 'rb').read(),"
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
            return out;
        }
    }
}
