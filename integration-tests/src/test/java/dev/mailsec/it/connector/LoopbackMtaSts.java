package dev.mailsec.it.connector;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mailsec.testsupport.Dnsmasq;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The outside world of an MTA-STS test, on loopback: a dnsmasq on 127.77.0.1:53 for James (its DNS
 * service only asks port 53) giving every test domain the MX host {@code localhost}; the policies
 * over HTTPS on 127.77.0.2:443 (certificate for every {@code mta-sts.DOMAIN} from {@code pki}); and
 * the partner's SMTP server where MX delivery connects, 127.0.0.1:25, presenting {@code
 * partnerTls}. Needs root for the ports.
 */
final class LoopbackMtaSts implements AutoCloseable {

    static final String DNS_ADDRESS = "127.77.0.1";
    static final String POLICY_ADDRESS = "127.77.0.2";

    /**
     * Where MX delivery connects: the address of {@code localhost}, the MX host of every test
     * domain.
     */
    static final InetAddress MX_ADDRESS = InetAddress.getLoopbackAddress();

    final Path dir;
    final PartnerSmtpServer smtp;
    private final HttpsServer policies;
    private final Dnsmasq dns;

    /**
     * @param policies policy text by domain (domains with an {@code _mta-sts} record); read on
     *     every request, so a test may change it; an empty text is answered with 404 (the policy is
     *     unreachable)
     * @param otherDomains domains with an MX record but no policy
     * @param partnerTls the partner's TLS on 127.0.0.1:25, or {@code null} for no SMTP server there
     *     ({@link #smtp} is then {@code null} and the test runs its own partners on that address)
     */
    LoopbackMtaSts(
            PartnerPki pki,
            SSLContext partnerTls,
            Map<String, String> policies,
            List<String> otherDomains)
            throws Exception {
        dir = Files.createTempDirectory("mailsec-mta-sts-");
        smtp =
                partnerTls == null
                        ? null
                        : PartnerSmtpServer.withStartTlsOn(partnerTls, MX_ADDRESS, 25);
        List<String> hosts = new ArrayList<>();
        policies.keySet().forEach(domain -> hosts.add("mta-sts." + domain));
        this.policies =
                HttpsServer.create(
                        new InetSocketAddress(InetAddress.getByName(POLICY_ADDRESS), 443), 10);
        this.policies.setHttpsConfigurator(
                new HttpsConfigurator(pki.validServerForNames(hosts.toArray(new String[0]))));
        this.policies.createContext(
                "/.well-known/mta-sts.txt",
                exchange -> {
                    String host = exchange.getRequestHeaders().getFirst("Host");
                    String domain =
                            host == null
                                    ? ""
                                    : host.replaceFirst(":443$", "")
                                            .replaceFirst("^mta-sts\\.", "");
                    String policy = policies.get(domain);
                    byte[] body =
                            (policy == null || policy.isEmpty() ? "no such policy" : policy)
                                    .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(
                            policy == null || policy.isEmpty() ? 404 : 200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        this.policies.start();
        List<String> records = new ArrayList<>(List.of("--host-record=localhost,127.0.0.1"));
        for (String domain : policies.keySet()) {
            records.add("--mx-host=" + domain + ",localhost,10");
            records.add("--txt-record=_mta-sts." + domain + ",v=STSv1; id=1;");
            records.add("--host-record=mta-sts." + domain + "," + POLICY_ADDRESS);
        }
        for (String domain : otherDomains) {
            records.add("--mx-host=" + domain + ",localhost,10");
        }
        dns = Dnsmasq.start(dir, DNS_ADDRESS, 53, records.toArray(new String[0]));
    }

    @Override
    public void close() throws Exception {
        if (smtp != null) {
            smtp.close();
        }
        policies.stop(0);
        dns.close();
    }
}
