package dev.mailsec.it.connector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mailsec.dns.ZoneFile;
import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.InstalledJames;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.testsupport.PemPki;
import dev.mailsec.tls.connector.mtasts.MtaStsPolicy;
import dev.mailsec.tls.connector.mtasts.SocketPolicyFetcher;
import dev.mailsec.tls.published.InboundCheck;
import dev.mailsec.tls.published.InboundFinding;
import dev.mailsec.tls.published.OwnPolicy;
import dev.mailsec.tls.published.PublishedRecords;
import dev.mailsec.tls.published.ZoneFileInboundDns;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our own domains' MTA-STS, end to end: a real James is the MX (STARTTLS with the harness's
 * certificate for {@code localhost}), {@code bin/mailsec tls mta-sts serve} serves the policies, a
 * zone file is the DNS; {@code bin/mailsec tls check --inbound} passes for the domain set up right,
 * and each domain broken in one way fails with that one thing named. Ephemeral ports only: the MX
 * port is James's, the HTTPS port a free one; the two broken peers (an MX without STARTTLS, one
 * with an expired certificate, a policy host serving a bad policy) listen on the same ports of
 * 127.0.0.2 and 127.0.0.3.
 */
class InboundMtaStsCheckTest {

    private static final Path MAILSEC = InstalledJames.bundledMailsec();

    @RegisterExtension static JamesExtension james = JamesExtension.builder().build();

    @TempDir static Path dir;

    static PemPki web;
    static Path zone;
    static Path trustPem;
    static X509TrustManager trust;
    static int smtpPort;
    static int httpsPort;
    static Process policyServer;
    static HttpsServer badPolicyHost;
    static PartnerSmtpServer withoutStartTls;
    static PartnerSmtpServer expiredMx;

    @BeforeAll
    static void setUp() throws Exception {
        smtpPort = james.harness().smtpPort(Delivery.Mode.STARTTLS);
        web = new PemPki("mta-sts test CA");
        List<String> domains =
                List.of("good", "badmx", "wrongname", "nostarttls", "expired", "staleid");
        List<String> webNames = new ArrayList<>();
        domains.forEach(d -> webNames.add("mta-sts." + d + ".test"));
        Path[] credential =
                web.write(
                        web.server(Duration.ofDays(30), webNames.toArray(new String[0])),
                        dir,
                        "web");
        Path config = dir.resolve("mta-sts.xml");
        httpsPort = freePort();
        Files.writeString(
                config,
                "<mta-sts bind=\"127.0.0.1\" port=\""
                        + httpsPort
                        + "\">\n"
                        + "  <certificate chain=\""
                        + credential[0]
                        + "\" key=\""
                        + credential[1]
                        + "\"/>\n"
                        + policy("good", "localhost", " tlsrpt=\"mailto:tlsrpt@good.test\"")
                        + policy("badmx", "mx.badmx.test", "")
                        + policy("wrongname", "mx.wrongname.test", "")
                        + policy("nostarttls", "mx.nostarttls.test", "")
                        + policy("expired", "mx.expired.test", "")
                        + policy("staleid", "localhost", "")
                        + "</mta-sts>\n");
        policyServer = startPolicyServer(config);

        badPolicyHost =
                HttpsServer.create(
                        new InetSocketAddress(InetAddress.getByName("127.0.0.2"), httpsPort), 10);
        badPolicyHost.setHttpsConfigurator(
                new HttpsConfigurator(
                        web.serverContext(
                                web.server(Duration.ofDays(30), "mta-sts.badsyntax.test"))));
        badPolicyHost.createContext(
                "/.well-known/mta-sts.txt",
                exchange -> {
                    byte[] body =
                            "version: STSv1\nmode: strict\nmx: localhost\nmax_age: 86400\n"
                                    .getBytes(UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        badPolicyHost.start();
        withoutStartTls =
                PartnerSmtpServer.withoutStartTlsOn(InetAddress.getByName("127.0.0.2"), smtpPort);
        expiredMx =
                PartnerSmtpServer.withStartTlsOn(
                        web.serverContext(
                                web.server(
                                        Duration.ofDays(-30),
                                        Duration.ofDays(-1),
                                        "mx.expired.test")),
                        InetAddress.getByName("127.0.0.3"),
                        smtpPort);

        StringBuilder records = new StringBuilder("localhost. IN A 127.0.0.1\n");
        records.append("_25._tcp.localhost. IN TLSA 3 1 1 ")
                .append(PublishedRecords.spkiSha256(james.pki().server().certificate()))
                .append("\n");
        for (String d : domains) {
            records.append("mta-sts.").append(d).append(".test. IN A 127.0.0.1\n");
        }
        records.append(mtaStsRecord("good", "localhost"))
                .append(
                        "_smtp._tls.good.test. IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@good.test\"\n")
                .append("good.test. IN MX 10 localhost.\n")
                .append(mtaStsRecord("badmx", "mx.badmx.test"))
                .append("badmx.test. IN MX 10 localhost.\n")
                .append(mtaStsRecord("wrongname", "mx.wrongname.test"))
                .append("wrongname.test. IN MX 10 mx.wrongname.test.\n")
                .append("mx.wrongname.test. IN A 127.0.0.1\n")
                .append(mtaStsRecord("nostarttls", "mx.nostarttls.test"))
                .append("nostarttls.test. IN MX 10 mx.nostarttls.test.\n")
                .append("mx.nostarttls.test. IN A 127.0.0.2\n")
                .append(mtaStsRecord("expired", "mx.expired.test"))
                .append("expired.test. IN MX 10 mx.expired.test.\n")
                .append("mx.expired.test. IN A 127.0.0.3\n")
                .append("_mta-sts.staleid.test. IN TXT \"v=STSv1; id=20260101T000000\"\n")
                .append("staleid.test. IN MX 10 localhost.\n")
                .append("_mta-sts.badsyntax.test. IN TXT \"v=STSv1; id=1\"\n")
                .append("mta-sts.badsyntax.test. IN A 127.0.0.2\n")
                .append("badsyntax.test. IN MX 10 localhost.\n");
        zone = Files.writeString(dir.resolve("world.zone"), records.toString());

        KeyStore anchors = web.trustStore();
        anchors.setCertificateEntry("james-ca", james.pki().caCertificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(anchors);
        trust = (X509TrustManager) factory.getTrustManagers()[0];
        trustPem =
                Files.writeString(
                        dir.resolve("trust.pem"),
                        PemPki.pem("CERTIFICATE", web.ca().getEncoded())
                                + PemPki.pem(
                                        "CERTIFICATE", james.pki().caCertificate().getEncoded()));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (policyServer != null) {
            policyServer.destroy();
            policyServer.waitFor(20, TimeUnit.SECONDS);
        }
        if (badPolicyHost != null) {
            badPolicyHost.stop(0);
        }
        if (withoutStartTls != null) {
            withoutStartTls.close();
        }
        if (expiredMx != null) {
            expiredMx.close();
        }
    }

    @Test
    void theCheckShouldPassForADomainSetUpRight() throws Exception {
        Result result =
                mailsec(
                        "tls",
                        "check",
                        "--inbound",
                        "good.test",
                        "--zone",
                        zone.toString(),
                        "--trust-store",
                        trustPem.toString(),
                        "--smtp-port",
                        Integer.toString(smtpPort),
                        "--https-port",
                        Integer.toString(httpsPort),
                        "--timeout",
                        "10");

        assertThat(result.exitCode).as(result.output).isZero();
        assertThat(result.output)
                .contains("OK   _mta-sts")
                .contains("fetched https://mta-sts.good.test/.well-known/mta-sts.txt")
                .contains("OK   policy id")
                .contains("localhost is allowed by the policy")
                .contains("STARTTLS offered")
                .contains("certificate chain trusted")
                .contains("certificate name DNS:localhost matches localhost")
                .contains("TLSA 3 1 1 matches the certificate")
                .contains("OK   _smtp._tls")
                .contains("result: good.test passes")
                .doesNotContain("FAIL");
    }

    @Test
    void theCheckShouldFailNamingAMissingStartTls() throws Exception {
        Result result =
                mailsec(
                        "tls",
                        "check",
                        "--inbound",
                        "nostarttls.test",
                        "--zone",
                        zone.toString(),
                        "--trust-store",
                        trustPem.toString(),
                        "--smtp-port",
                        Integer.toString(smtpPort),
                        "--https-port",
                        Integer.toString(httpsPort),
                        "--timeout",
                        "10");

        assertThat(result.exitCode).as(result.output).isEqualTo(1);
        assertThat(failures(result.output))
                .singleElement()
                .asString()
                .contains("mx.nostarttls.test:" + smtpPort)
                .contains("STARTTLS NOT offered");
        assertThat(result.output).contains("result: nostarttls.test FAILS");
    }

    @Test
    void eachBrokenThingShouldBeNamedAlone() {
        assertThat(fails("badmx.test"))
                .singleElement()
                .asString()
                .contains("localhost is NOT in the policy's mx patterns [mx.badmx.test]");
        assertThat(fails("wrongname.test"))
                .singleElement()
                .asString()
                .contains("certificate is NOT issued for mx.wrongname.test");
        assertThat(fails("staleid.test"))
                .singleElement()
                .asString()
                .contains("_mta-sts id 20260101T000000 is not");
        assertThat(fails("badsyntax.test"))
                .singleElement()
                .asString()
                .contains("bad syntax: mode must be enforce, testing or none, got 'strict'");
        List<String> expired = fails("expired.test");
        assertThat(expired).anyMatch(line -> line.contains("certificate EXPIRED on"));
        assertThat(expired).allMatch(line -> line.contains("mx.expired.test:" + smtpPort));
    }

    @Test
    void ourOwnMtaStsClientShouldFetchTheServedPolicy() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new X509TrustManager[] {trust}, null);
        MtaStsPolicy policy =
                new SocketPolicyFetcher(
                                host -> new ZoneFileInboundDns(ZoneFile.load(zone)).addresses(host),
                                tls,
                                httpsPort,
                                Duration.ofSeconds(10))
                        .fetch("good.test");

        assertThat(policy.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(policy.allowsMx("localhost")).isTrue();
    }

    private static List<String> fails(String domain) {
        InboundCheck check;
        try {
            check =
                    new InboundCheck(
                            new ZoneFileInboundDns(ZoneFile.load(zone)),
                            trust,
                            smtpPort,
                            httpsPort,
                            Duration.ofSeconds(10),
                            "check.invalid",
                            Clock.systemUTC());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return check.check(domain).stream()
                .filter(f -> f.level() == InboundFinding.Level.FAIL)
                .map(InboundFinding::toString)
                .collect(Collectors.toList());
    }

    private static List<String> failures(String output) {
        return output.lines().filter(line -> line.startsWith("FAIL")).collect(Collectors.toList());
    }

    private static String policy(String domain, String mx, String extra) {
        return "  <domain name=\""
                + domain
                + ".test\" mode=\"enforce\" maxAge=\"86400\""
                + extra
                + "><mx>"
                + mx
                + "</mx></domain>\n";
    }

    private static String mtaStsRecord(String domain, String mx) {
        String id =
                OwnPolicy.of(domain + ".test", MtaStsPolicy.Mode.ENFORCE, List.of(mx), 86400).id();
        return "_mta-sts." + domain + ".test. IN TXT \"v=STSv1; id=" + id + "\"\n";
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }

    /** {@code bin/mailsec tls mta-sts serve}, once it says it listens. */
    private static Process startPolicyServer(Path config) throws Exception {
        Process p =
                new ProcessBuilder(
                                MAILSEC.toString(),
                                "tls",
                                "mta-sts",
                                "serve",
                                "--config",
                                config.toString())
                        .redirectErrorStream(true)
                        .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.append(line).append('\n');
            if (line.contains("listening on 127.0.0.1:" + httpsPort)) {
                Thread drain =
                        new Thread(() -> out.lines().forEach(l -> {}), "policy-server-output");
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        throw new IllegalStateException("mailsec tls mta-sts serve did not start:\n" + seen);
    }

    private static Result mailsec(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(MAILSEC.toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static final class Result {
        final int exitCode;
        final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }
    }
}
