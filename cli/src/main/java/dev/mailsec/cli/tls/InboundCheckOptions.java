package dev.mailsec.cli.tls;

import dev.mailsec.cli.UserException;
import dev.mailsec.cli.dkim.KeyRecordOptions;
import dev.mailsec.dns.DnsServers;
import dev.mailsec.dns.ZoneFile;
import dev.mailsec.tls.connector.DomainPattern;
import dev.mailsec.tls.published.DnsjavaInboundDns;
import dev.mailsec.tls.published.InboundCheck;
import dev.mailsec.tls.published.InboundDns;
import dev.mailsec.tls.published.InboundFinding;
import dev.mailsec.tls.published.PemCredential;
import dev.mailsec.tls.published.ZoneFileInboundDns;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import picocli.CommandLine.Option;

/**
 * {@code ./mailsec tls check --inbound DOMAIN}: checks one of our domains from outside, as a sender
 * would ({@link InboundCheck}), and prints one line per finding. Exit 0 when nothing failed, 1
 * otherwise, 2 for bad input. A picocli mixin of {@code tls check}.
 */
public final class InboundCheckOptions {

    @Option(
            names = "--inbound",
            description =
                    "check DOMAIN (one of ours) as senders see it: MTA-STS record and policy, MX hosts,"
                            + " STARTTLS, certificates, TLSA, TLS-RPT")
    boolean inbound;

    @Option(
            names = "--zone",
            paramLabel = "FILE",
            description = "with --inbound: take DNS records from this BIND zone file")
    Path zone;

    @Option(
            names = "--smtp-port",
            paramLabel = "PORT",
            defaultValue = "25",
            description = "with --inbound: the MX hosts' SMTP port (default: ${DEFAULT-VALUE})")
    int smtpPort;

    @Option(
            names = "--https-port",
            paramLabel = "PORT",
            defaultValue = "443",
            description =
                    "with --inbound: the policy host's HTTPS port (default: ${DEFAULT-VALUE})")
    int httpsPort;

    boolean requested() {
        return inbound;
    }

    /** Refuses the inbound-only options without {@code --inbound}. */
    void refuseWithoutInbound() {
        if (zone != null || smtpPort != 25 || httpsPort != 443) {
            throw new UserException("--zone, --smtp-port and --https-port go with --inbound", 2);
        }
    }

    /**
     * Runs the check; {@code dnsServers} is {@code tls check}'s {@code --dns} (alias {@code
     * --dns-server}), null for the system's resolvers.
     */
    int run(
            String target,
            String dnsServers,
            Path trustStore,
            int timeoutSeconds,
            String helo,
            PrintWriter out) {
        String domain =
                DomainPattern.normalize(target)
                        .orElseThrow(
                                () ->
                                        new UserException(
                                                "'" + target + "' is not a domain name", 2));
        for (int port : new int[] {smtpPort, httpsPort}) {
            if (port < 1 || port > 65535) {
                throw new UserException("ports go from 1 to 65535, got " + port, 2);
            }
        }
        List<InboundFinding> findings =
                new InboundCheck(
                                dns(dnsServers, timeoutSeconds),
                                trust(trustStore),
                                smtpPort,
                                httpsPort,
                                Duration.ofSeconds(timeoutSeconds),
                                helo,
                                Clock.systemUTC())
                        .check(domain);
        for (InboundFinding finding : findings) {
            out.println(finding);
        }
        boolean passed = InboundCheck.passed(findings);
        out.println(
                passed
                        ? "result: "
                                + domain
                                + " passes: senders can use MTA-STS and TLS to reach it"
                        : "result: " + domain + " FAILS: see the FAIL lines above");
        out.flush();
        return passed ? 0 : 1;
    }

    private InboundDns dns(String dnsServers, int timeoutSeconds) {
        if (zone != null) {
            return KeyRecordOptions.loadZone(
                    zone,
                    dnsServers != null,
                    "--dns",
                    z -> new ZoneFileInboundDns(ZoneFile.load(z)));
        }
        try {
            return new DnsjavaInboundDns(
                    dnsServers == null ? List.of() : DnsServers.parse(dnsServers),
                    Duration.ofSeconds(timeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw new UserException("--dns: " + e.getMessage(), 2);
        }
    }

    private static X509TrustManager trust(Path trustStore) {
        try {
            KeyStore store = null;
            if (trustStore != null) {
                store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                for (X509Certificate certificate : PemCredential.certificates(trustStore)) {
                    store.setCertificateEntry("ca-" + i++, certificate);
                }
            }
            TrustManagerFactory factory =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager) {
                    return (X509TrustManager) manager;
                }
            }
            throw new UserException("the JVM has no X.509 trust manager", 1);
        } catch (IllegalArgumentException | GeneralSecurityException | IOException e) {
            throw new UserException("--trust-store: " + e.getMessage(), 2);
        }
    }
}
