package dev.mailsec.it.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mailsec.it.harness.InstalledJames;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbound authentication steps of {@code mailsec install --sample-pipeline --dmarc-reject smtp
 * --dns-servers ...} in the stock James 3.8.1 it was installed into (docs/dmarc.md, "Sample
 * pipeline"), over a loopback dnsmasq that logs every query: a p=reject forgery is refused at SMTP
 * time, a p=quarantine failure is held in var/mail/dmarc-quarantine, a signed mail is delivered
 * with one Authentication-Results field holding dkim=, spf=, arc= and dmarc=, each DNS name of its
 * evaluation asked once (the hook's verdicts written by the mailets, not evaluated again), and a
 * From domain whose DNS times out is delivered with dmarc=temperror.
 */
class SamplePipelineAuthenticationTest {

    @TempDir static Path work;
    private static InstalledJames james;
    private static Process dnsmasq;
    private static Path dnsLog;
    private static Path shopKey;

    @BeforeAll
    static void installWithDmarcAtSmtpTime() throws Exception {
        int dnsPort = InstalledJames.freePort();
        startDns(dnsPort);
        james = InstalledJames.stock(work, "mailsec.test", InstalledJames.bundledMailsec());
        james.useFreeServerPorts();
        List<String> flags = new ArrayList<>(james.sampleFlags("mailsec.test"));
        flags.addAll(List.of("--dmarc-reject", "smtp", "--dns-servers", "127.0.0.1:" + dnsPort));
        james.install(flags);
        james.startJames();
        james.addDomain("mailsec.test");
        james.addUser("bob@mailsec.test", "secret");
    }

    @AfterAll
    static void stop() throws Exception {
        if (james != null) {
            james.close();
        }
        if (dnsmasq != null) {
            dnsmasq.destroy();
            dnsmasq.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aForgeryFromAPrejectDomainIsRefusedAtSmtpTime() throws Exception {
        Throwable refused =
                catchThrowable(() -> send("teller@pay.test", message("teller@pay.test", "forged")));

        assertThat(refused).isNotNull();
        assertThat(String.valueOf(refused.getMessage()) + refused.getCause())
                .contains("550")
                .contains("5.7.1 Email rejected per DMARC policy for pay.test");
    }

    @Test
    void aFailureOfAPquarantineDomainIsHeldInTheQuarantineRepository() throws Exception {
        send("news@quarantine.test", message("news@quarantine.test", "held"));

        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (james.webAdmin().repositorySize("var/mail/dmarc-quarantine") == 0
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        assertThat(james.webAdmin().repositorySize("var/mail/dmarc-quarantine"))
                .as(james.tail("james.out"))
                .isEqualTo(1);
    }

    @Test
    void aSignedMailIsDeliveredWithOneFieldOfAllFourEvaluatedOnce() throws Exception {
        send("orders@shop.test", dkimpySign(message("orders@shop.test", "signed")));

        MimeMessage read = james.read("bob@mailsec.test", "signed");
        List<String> ours = ours(read);
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0))
                .containsSubsequence(
                        "dkim=pass",
                        "header.d=shop.test",
                        "spf=pass",
                        "smtp.mailfrom=orders@shop.test",
                        "arc=none",
                        "dmarc=pass",
                        "header.from=shop.test",
                        "policy.dmarc=reject");
        // RefuseDmarcReject asked each name once; the mailets wrote its verdicts
        for (String name : List.of("sel._domainkey.shop.test", "shop.test", "_dmarc.shop.test")) {
            assertThat(queries(name)).as("TXT queries for %s", name).isEqualTo(1);
        }
    }

    @Test
    void aFromDomainWhoseDnsTimesOutIsDeliveredWithTemperror() throws Exception {
        send("clerk@slow.test", message("clerk@slow.test", "slow"));

        MimeMessage read = james.read("bob@mailsec.test", "slow");
        assertThat(ours(read)).hasSize(1);
        assertThat(ours(read).get(0)).contains("spf=temperror").contains("dmarc=temperror");
    }

    /** Our Authentication-Results fields (authserv-id mailsec.test), unfolded. */
    private static List<String> ours(MimeMessage m) throws Exception {
        String[] all = m.getHeader("Authentication-Results");
        return all == null
                ? List.of()
                : Arrays.stream(all)
                        .map(MimeUtility::unfold)
                        .filter(v -> v.trim().startsWith("mailsec.test"))
                        .collect(Collectors.toList());
    }

    private static long queries(String name) throws Exception {
        Pattern p = Pattern.compile("query\\[TXT\\] " + Pattern.quote(name) + " from ");
        Matcher m = p.matcher(Files.readString(dnsLog));
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String message(String from, String subject) {
        return "From: "
                + from
                + "\r\nTo: bob@mailsec.test\r\nSubject: "
                + subject
                + "\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <"
                + subject
                + "@mailsec.it>\r\n\r\nPlease pay 100 EUR.\r\n";
    }

    /** Over plain SMTP from 127.0.0.1, with this MAIL FROM. */
    private static void send(String mailFrom, Object message) throws Exception {
        byte[] bytes =
                message instanceof String
                        ? ((String) message).getBytes(StandardCharsets.US_ASCII)
                        : (byte[]) message;
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(james.smtpPort));
        props.put("mail.smtp.localhost", "client.mailsec.it");
        props.put("mail.smtp.from", mailFrom);
        Session session = Session.getInstance(props);
        MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(bytes));
        try (Transport t = session.getTransport("smtp")) {
            t.connect();
            t.sendMessage(m, new InternetAddress[] {new InternetAddress("bob@mailsec.test")});
        }
    }

    /** dkimpy (Debian's python3-dkim) signs for shop.test, selector sel. */
    private static byte[] dkimpySign(String message) throws Exception {
        String script =
                "import sys, dkim\n"
                        + "msg = sys.stdin.buffer.read()\n"
                        + "out = dkim.sign(msg, b'sel', b'shop.test', open(sys.argv[1], 'rb').read(),"
                        + " canonicalize=(b'relaxed', b'simple'), include_headers=[b'from', b'to', b'subject'],"
                        + " linesep=b'\\r\\n')\n"
                        + "sys.stdout.buffer.write(out + msg)\n";
        Process p =
                new ProcessBuilder("/usr/bin/python3", "-c", script, shopKey.toString()).start();
        p.getOutputStream().write(message.getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("dkimpy: %s", err).isZero();
        return out;
    }

    /**
     * dnsmasq on loopback: shop.test signs (key sel), lists 127.0.0.1 in SPF and publishes
     * p=reject; pay.test (p=reject) and quarantine.test (p=quarantine) do not list 127.0.0.1;
     * slow.test is forwarded to a port where nobody answers. Every query is logged.
     */
    private static void startDns(int port) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        shopKey = work.resolve("shop.pem");
        Files.writeString(
                shopKey,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'})
                                .encodeToString(kp.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        String dkim =
                "v=DKIM1; k=rsa; p="
                        + Base64.getEncoder().encodeToString(kp.getPublic().getEncoded());
        // the log goes to stderr, into this file: dnsmasq drops its root rights before it could
        // open a file of the test's folder
        dnsLog = work.resolve("dnsmasq.out");
        dnsmasq =
                new ProcessBuilder(
                                "/usr/sbin/dnsmasq",
                                "--no-daemon",
                                "--port=" + port,
                                "--listen-address=127.0.0.1",
                                "--bind-interfaces",
                                "--no-resolv",
                                "--no-hosts",
                                "--conf-file=/dev/null",
                                "--pid-file=" + work.resolve("dnsmasq.pid"),
                                "--log-queries",
                                "--log-facility=-",
                                "--local=/shop.test/pay.test/quarantine.test/mailsec.it/",
                                "--server=/slow.test/127.0.0.1#1",
                                "--txt-record=sel._domainkey.shop.test," + dkim,
                                "--txt-record=shop.test,v=spf1 ip4:127.0.0.1 -all",
                                "--txt-record=_dmarc.shop.test,v=DMARC1; p=reject",
                                "--txt-record=pay.test,v=spf1 ip4:192.0.2.1 -all",
                                "--txt-record=_dmarc.pay.test,v=DMARC1; p=reject",
                                "--txt-record=quarantine.test,v=spf1 ip4:192.0.2.1 -all",
                                "--txt-record=_dmarc.quarantine.test,v=DMARC1; p=quarantine")
                        .redirectErrorStream(true)
                        .redirectOutput(dnsLog.toFile())
                        .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!Files.exists(dnsLog) || !Files.readString(dnsLog).contains("started")) {
            assertThat(dnsmasq.isAlive()).as("dnsmasq: %s", Files.readString(dnsLog)).isTrue();
            assertThat(Instant.now()).as("dnsmasq did not start").isBefore(deadline);
            Thread.sleep(100);
        }
    }
}
