package dev.mailsec.it.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
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
 * DMARC enforced at SMTP time in a real James 3.8.1 (docs/dmarc.md "Refusing at SMTP time"): the
 * {@code RefuseDmarcReject} hook after DATA, then VerifyDkim, VerifyArc and VerifyDmarc in the root
 * processor, all over one zone file. bank.test publishes p=reject and an SPF record that does not
 * list 127.0.0.1; dkimpy (Debian's python3-dkim) signs for bank.test and seals ARC for fwd.test,
 * the trusted forwarder.
 */
class DmarcAtSmtpTimeTest {

    static final Path ZONE = zone();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("bob@mailsec.test", "secret")
                    .extraSmtpHandlers(
                            "<handler class=\"dev.mailsec.smtp.dmarc.RefuseDmarcReject\">"
                                    + "<zoneFile>"
                                    + ZONE
                                    + "</zoneFile>"
                                    + "<trustedArcSealers>fwd.test</trustedArcSealers>"
                                    + "</handler>")
                    .rootMailets(
                            ""
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.dkim.VerifyDkim\">\n"
                                    + "  <authservId>mx.mailsec.test</authservId>\n"
                                    + "  <zoneFile>"
                                    + ZONE
                                    + "</zoneFile>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.arc.VerifyArc\">\n"
                                    + "  <authservId>mx.mailsec.test</authservId>\n"
                                    + "  <zoneFile>"
                                    + ZONE
                                    + "</zoneFile>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.dmarc.VerifyDmarc\">\n"
                                    + "  <authservId>mx.mailsec.test</authservId>\n"
                                    + "  <trustedArcSealers>fwd.test</trustedArcSealers>\n"
                                    + "  <zoneFile>"
                                    + ZONE
                                    + "</zoneFile>\n"
                                    + "</mailet>\n")
                    .build();

    @Test
    void forgedMailFromAPrejectDomainIsRefusedAtSmtpTime() throws Exception {
        byte[] forged = tamper(dkimpy("sign", message("forged")));

        Throwable refused = catchThrowable(() -> send(forged));

        assertThat(refused).isNotNull();
        assertThat(String.valueOf(refused.getMessage()) + String.valueOf(refused.getCause()))
                .contains("550")
                .contains("5.7.1 Email rejected per DMARC policy for bank.test");
        Thread.sleep(2000);
        assertThat(james.subjects("bob@mailsec.test", "secret")).doesNotContain("forged");
    }

    @Test
    void theSameMailThroughATrustedArcSealerIsDeliveredWithTheOverride() throws Exception {
        // the list changed the body (DKIM breaks) and sealed what it saw: dkim=pass for bank.test
        byte[] forwarded = dkimpy("seal", prepend(tamper(dkimpy("sign", message("forwarded")))));

        send(forwarded);

        MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", "forwarded");
        String ar = ours(read);
        assertThat(ar)
                .contains("dkim=fail")
                .contains("arc=pass")
                .contains("dmarc=fail")
                .contains("header.from=bank.test")
                .contains("policy.dmarc=reject")
                .contains("policy.override=arc");
    }

    @Test
    void signedMailFromAPrejectDomainIsDeliveredWithDmarcPass() throws Exception {
        send(dkimpy("sign", message("signed")));

        MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", "signed");
        assertThat(ours(read))
                .contains("dkim=pass")
                .contains("dmarc=pass header.from=bank.test policy.dmarc=reject");
    }

    private static String ours(MimeMessage m) throws Exception {
        return Arrays.stream(m.getHeader("Authentication-Results"))
                .map(MimeUtility::unfold)
                .filter(v -> v.trim().startsWith("mx.mailsec.test"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no A-R of ours"));
    }

    private static String message(String subject) {
        return "From: teller@bank.test\r\nTo: bob@mailsec.test\r\nSubject: "
                + subject
                + "\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <"
                + subject
                + "@bank.test>\r\n\r\nPlease pay 100 EUR.\r\n";
    }

    private static byte[] tamper(byte[] m) {
        return new String(m, StandardCharsets.ISO_8859_1)
                .replace("100 EUR.\r\n", "100 EUR.\r\n-- \r\nlist footer\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The forwarder's own verdict, which dkimpy's sealer copies into its
     * ARC-Authentication-Results.
     */
    private static byte[] prepend(byte[] m) {
        byte[] ar =
                "Authentication-Results: fwd.test; dkim=pass header.d=bank.test\r\n"
                        .getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(ar, ar.length + m.length);
        System.arraycopy(m, 0, out, ar.length, m.length);
        return out;
    }

    /** Over plain SMTP from 127.0.0.1, which bank.test's SPF does not list. */
    private static void send(byte[] message) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "localhost");
        props.put(
                "mail.smtp.port", Integer.toString(james.harness().smtpPort(Delivery.Mode.PLAIN)));
        props.put("mail.smtp.localhost", "client.mailsec.test");
        props.put("mail.smtp.from", "teller@bank.test");
        Session session = Session.getInstance(props);
        MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(message));
        try (Transport t = session.getTransport("smtp")) {
            t.connect();
            t.sendMessage(m, new InternetAddress[] {new InternetAddress("bob@mailsec.test")});
        }
    }

    /** dkimpy signs for bank.test (sel) or seals ARC i=1 for fwd.test (arc). */
    private static byte[] dkimpy(String what, Object message) throws Exception {
        byte[] in =
                message instanceof String
                        ? ((String) message).getBytes(StandardCharsets.US_ASCII)
                        : (byte[]) message;
        Path dir = ZONE.getParent();
        String script =
                "import sys, dkim\n"
                        + "msg = sys.stdin.buffer.read()\n"
                        + "if sys.argv[1] == 'sign':\n"
                        + "    out = dkim.sign(msg, b'sel', b'bank.test', open(sys.argv[2] + '/bank.pem', 'rb').read(),"
                        + " canonicalize=(b'relaxed', b'simple'), include_headers=[b'from', b'to', b'subject'], linesep=b'\\r\\n')\n"
                        + "else:\n"
                        + "    out = b''.join(dkim.ARC(msg, linesep=b'\\r\\n').sign(b'arc', b'fwd.test',"
                        + " open(sys.argv[2] + '/fwd.pem', 'rb').read(), b'fwd.test',"
                        + " include_headers=[b'from', b'to', b'subject', b'date', b'message-id']))\n"
                        + "    if not out: sys.exit('dkimpy did not seal')\n"
                        + "sys.stdout.buffer.write(out + msg)\n";
        Process p =
                new ProcessBuilder("/usr/bin/python3", "-c", script, what, dir.toString()).start();
        p.getOutputStream().write(in);
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("dkimpy: %s", err).isZero();
        return out;
    }

    /** Keys for bank.test and fwd.test, p=reject and SPF for bank.test, in one zone file. */
    private static Path zone() {
        try {
            Path dir = Files.createTempDirectory("mailsec-dmarc-smtp-it");
            StringBuilder z = new StringBuilder();
            for (String[] k :
                    new String[][] {
                        {"bank", "sel._domainkey.bank.test"}, {"fwd", "arc._domainkey.fwd.test"}
                    }) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                KeyPair kp = g.generateKeyPair();
                Files.writeString(
                        dir.resolve(k[0] + ".pem"),
                        "-----BEGIN PRIVATE KEY-----\n"
                                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                                        .encodeToString(kp.getPrivate().getEncoded())
                                + "\n-----END PRIVATE KEY-----\n");
                z.append(k[1])
                        .append(". IN TXT \"v=DKIM1; k=rsa; p=")
                        .append(Base64.getEncoder().encodeToString(kp.getPublic().getEncoded()))
                        .append("\"\n");
            }
            z.append("_dmarc.bank.test. IN TXT \"v=DMARC1; p=reject\"\n");
            z.append("bank.test. IN TXT \"v=spf1 ip4:192.0.2.1 -all\"\n");
            Path zone = dir.resolve("smtp-dmarc.zone");
            Files.writeString(zone, z);
            return zone;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
