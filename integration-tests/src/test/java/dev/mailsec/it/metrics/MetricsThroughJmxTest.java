package dev.mailsec.it.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mailsec.it.harness.InstalledJames;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pack's metrics (docs/metrics.md) read back from a stock James 3.8.1 the way an operator reads
 * James's own: through James's JMX server as its distribution configures it ({@code
 * jmx.properties}, the {@code james-admin} password James generates in {@code
 * conf/jmxremote.password}), domain {@code metrics}; and through WebAdmin's {@code /metrics} route
 * once {@code extensions.routes} names James's {@code MetricsRoutes}. The pack is installed with
 * {@code mailsec install --sample-pipeline --dmarc-reject smtp --dns-servers} over a loopback
 * dnsmasq; mail goes in over SMTP as a partner's or a stranger's would.
 */
class MetricsThroughJmxTest {

    private static final String METRICS_ROUTES =
            "org.apache.james.webadmin.dropwizard.MetricsRoutes";

    @TempDir static Path work;
    private static InstalledJames james;
    private static Process dnsmasq;
    private static Path shopKey;
    private static JMXConnector jmx;
    private static MBeanServerConnection mbeans;

    @BeforeAll
    static void installAndStartWithJmx() throws Exception {
        int dnsPort = InstalledJames.freePort();
        startDns(dnsPort);
        james = InstalledJames.stock(work, "mailsec.test", InstalledJames.bundledMailsec());
        james.useFreeServerPorts();
        // JMX back on, as the stock distribution has it, on a free loopback port
        int jmxPort = InstalledJames.freePort();
        Path jmxProperties = james.home().resolve("conf/jmx.properties");
        InstalledJames.edit(jmxProperties, "jmx.enabled=false", "jmx.enabled=true");
        InstalledJames.edit(jmxProperties, "jmx.port=9999", "jmx.port=" + jmxPort);
        List<String> flags = new ArrayList<>(james.sampleFlags("mailsec.test"));
        flags.addAll(List.of("--dmarc-reject", "smtp", "--dns-servers", "127.0.0.1:" + dnsPort));
        james.install(flags);
        // docs/metrics.md: James's own Prometheus route, next to the pack's routes
        InstalledJames.edit(
                james.home().resolve("conf/webadmin.properties"),
                "\nextensions.routes=dev.mailsec.webadmin.MailsecRoutes\n",
                "\nextensions.routes=dev.mailsec.webadmin.MailsecRoutes," + METRICS_ROUTES + "\n");
        james.startJames();
        james.addDomain("mailsec.test");
        james.addUser("bob@mailsec.test", "secret");
        jmx = connectJmx(jmxPort);
        mbeans = jmx.getMBeanServerConnection();
    }

    @AfterAll
    static void stop() throws Exception {
        if (jmx != null) {
            jmx.close();
        }
        if (james != null) {
            james.close();
        }
        if (dnsmasq != null) {
            dnsmasq.destroy();
            dnsmasq.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void dkimVerdictsShouldBeCountedInJamesJmx() throws Exception {
        long pass = meter("mailsec_dkim_result_pass");
        long none = meter("mailsec_dkim_result_none");

        send("orders@shop.test", dkimpySign(message("orders@shop.test", "signed-1")));
        send("orders@shop.test", dkimpySign(message("orders@shop.test", "signed-2")));
        send("someone@plain.test", message("someone@plain.test", "unsigned-1"));
        james.read("bob@mailsec.test", "signed-1");
        james.read("bob@mailsec.test", "signed-2");
        james.read("bob@mailsec.test", "unsigned-1");

        assertThat(meter("mailsec_dkim_result_pass") - pass).isEqualTo(2);
        assertThat(meter("mailsec_dkim_result_none") - none).isEqualTo(1);
    }

    @Test
    void dnsLookupsShouldBeTimedAndTheirCacheCountedInJamesJmx() throws Exception {
        long lookups = timer("mailsec_dns_lookup");
        long misses = meter("mailsec_dns_cache_miss");

        // a domain no other test sends from, so its names are not cached yet
        send("someone@fresh.test", message("someone@fresh.test", "dns-1"));
        james.read("bob@mailsec.test", "dns-1");
        long missesAfterFirst = meter("mailsec_dns_cache_miss");
        long hitsAfterFirst = meter("mailsec_dns_cache_hit");
        send("someone@fresh.test", message("someone@fresh.test", "dns-2"));
        james.read("bob@mailsec.test", "dns-2");

        assertThat(timer("mailsec_dns_lookup")).as("DNS questions timed").isGreaterThan(lookups);
        assertThat(missesAfterFirst).as("first mail: not cached yet").isGreaterThan(misses);
        // the same names again within their TTL: answered from the pack's cache
        assertThat(meter("mailsec_dns_cache_hit")).isGreaterThan(hitsAfterFirst);
        assertThat(mbeans.getAttribute(timerName("mailsec_dns_lookup"), "Mean"))
                .as("mean time in ms")
                .isInstanceOf(Double.class);
    }

    @Test
    void aPartnerRefusedAtSmtpTimeShouldBeCountedUnderItsConnector() throws Exception {
        long refused = meter("mailsec_inbound_refused_partner");

        Throwable t =
                catchThrowable(
                        () -> send("news@partner.test", message("news@partner.test", "clear")));

        assertThat(String.valueOf(t) + (t == null ? "" : t.getCause())).contains("530");
        assertThat(meter("mailsec_inbound_refused_partner") - refused).isEqualTo(1);
    }

    @Test
    void aMailHeldInTheDmarcQuarantineShouldBeCountedUnderItsRepository() throws Exception {
        long held = meter("mailsec_quarantine_held_dmarc_quarantine");

        send("news@quarantine.test", message("news@quarantine.test", "held"));

        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (meter("mailsec_quarantine_held_dmarc_quarantine") == held
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        assertThat(meter("mailsec_quarantine_held_dmarc_quarantine") - held)
                .as(james.tail("james.out"))
                .isEqualTo(1);
        assertThat(james.webAdmin().repositorySize("var/mail/dmarc-quarantine")).isPositive();
    }

    @Test
    void webAdminMetricsRouteShouldServeThePackMetricsToPrometheus() throws Exception {
        send("orders@shop.test", dkimpySign(message("orders@shop.test", "scraped")));
        james.read("bob@mailsec.test", "scraped");

        HttpResponse<String> scrape =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(james.webAdminUrl() + "/metrics"))
                                        .timeout(Duration.ofSeconds(30))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .containsPattern("(?m)^mailsec_dkim_result_pass_total [1-9][0-9.E]*$")
                .containsPattern("(?m)^mailsec_dns_lookup_count [1-9][0-9.E]*$");
    }

    /**
     * A counter's count: a Dropwizard meter {@code metrics:name=NAME,type=meters}; 0 if none yet.
     */
    private static long meter(String name) throws Exception {
        return count(new ObjectName("metrics:name=" + name + ",type=meters"));
    }

    private static long timer(String name) throws Exception {
        return count(timerName(name));
    }

    private static ObjectName timerName(String name) throws Exception {
        return new ObjectName("metrics:name=" + name + ",type=timers");
    }

    private static long count(ObjectName name) throws Exception {
        try {
            return ((Number) mbeans.getAttribute(name, "Count")).longValue();
        } catch (InstanceNotFoundException notYet) {
            return 0;
        }
    }

    /**
     * James's JMX server ({@code jmx.properties}) with the {@code james-admin} password James
     * generated at its first start.
     */
    private static JMXConnector connectJmx(int port) throws Exception {
        String line = Files.readString(james.home().resolve("conf/jmxremote.password")).trim();
        String[] userAndPassword = line.split("\\s+", 2);
        assertThat(userAndPassword[0]).isEqualTo("james-admin");
        JMXServiceURL url =
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        return JMXConnectorFactory.connect(url, Map.of(JMXConnector.CREDENTIALS, userAndPassword));
    }

    private static String message(String from, String subject) {
        return "From: "
                + from
                + "\r\nTo: bob@mailsec.test\r\nSubject: "
                + subject
                + "\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <"
                + subject
                + "@mailsec.it>\r\n\r\nThe figures are attached.\r\n";
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
     * p=reject; quarantine.test (p=quarantine) does not list 127.0.0.1; plain.test, fresh.test and
     * partner.test publish nothing (answered locally, no records).
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
        Path dnsLog = work.resolve("dnsmasq.out");
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
                                "--local=/shop.test/plain.test/fresh.test/partner.test/quarantine.test/mailsec.it/mailsec.test/",
                                "--txt-record=sel._domainkey.shop.test," + dkim,
                                "--txt-record=shop.test,v=spf1 ip4:127.0.0.1 -all",
                                "--txt-record=_dmarc.shop.test,v=DMARC1; p=reject",
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
