package dev.mailsec.cli.tls;

import dev.mailsec.cli.UserException;
import dev.mailsec.config.PackPaths;
import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.tls.connector.ClientKey;
import dev.mailsec.tls.connector.ConnectorTrust;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.DkmClientKeys;
import dev.mailsec.tls.connector.DomainPattern;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import dev.mailsec.tls.connector.MxLookup;
import dev.mailsec.tls.connector.OutboundConnector;
import dev.mailsec.tls.connector.OutboundProbe;
import dev.mailsec.tls.connector.OutboundTlsLevel;
import dev.mailsec.tls.connector.ProbeReport;
import dev.mailsec.tls.connector.SmartHost;
import dev.mailsec.tls.connector.dane.DanePolicy;
import dev.mailsec.tls.connector.mtasts.JndiTxtLookup;
import dev.mailsec.tls.connector.mtasts.MtaStsPolicy;
import dev.mailsec.tls.connector.mtasts.MtaStsResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javax.naming.NamingException;
import javax.net.ssl.SSLContext;
import javax.security.auth.x500.X500Principal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./mailsec tls check DOMAIN|CONNECTOR}: connects to the hosts mail would go to (the
 * connector's smart hosts, or the domain's MX hosts), as RemoteDelivery would, and prints per host
 * the protocol, cipher, certificate chain, trust, name match and whether mail would go. Exit 0 when
 * mail would go to the first host that answers, 1 when it would wait (and finally bounce), 2 for
 * bad input.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description =
                "Connect as outbound delivery would and print the TLS decision for a domain or connector.")
public final class TlsCheckCommand implements Callable<Integer> {

    @ParentCommand TlsCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
            paramLabel = "DOMAIN|CONNECTOR",
            description =
                    "recipient domain or outbound connector name (with --inbound: our domain)")
    String target;

    @Option(
            names = "--trust-store",
            paramLabel = "PEM",
            description =
                    "PEM file of CA certificates to trust instead of the JVM's (use what James trusts)")
    Path trustStore;

    @Option(
            names = {"--dns", "--dns-server"},
            paramLabel = "SERVERS",
            description =
                    "DNS servers (IP[:port], comma separated), as the other commands take them;"
                            + " default: the system's resolvers. --dns-server is the older name.")
    String dnsServers;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "15",
            description = "connect and read timeout per host (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(
            names = "--helo",
            paramLabel = "NAME",
            defaultValue = "mailsec-tls-check.invalid",
            description = "name sent in EHLO (default: ${DEFAULT-VALUE})")
    String helo;

    @Option(names = "--no-mta-sts", description = "do not look up the domain's MTA-STS policy")
    boolean noMtaSts;

    @Option(
            names = "--dkm-config",
            paramLabel = "FILE",
            description =
                    "DKM client configuration the connector's clientCertificate is read from, as"
                            + " ConnectorRemoteDelivery's dkmConfig (default: conf/dkm.properties)")
    String dkmConfig;

    @CommandLine.Mixin InboundCheckOptions inbound;

    @Override
    public Integer call() {
        if (inbound.requested()) {
            return inbound.run(
                    target,
                    dnsServers,
                    trustStore,
                    timeoutSeconds,
                    helo,
                    spec.commandLine().getOut());
        }
        inbound.refuseWithoutInbound();
        Connectors connectors = parent.loadConnectors();
        PrintWriter out = spec.commandLine().getOut();
        Optional<OutboundConnector> connector = connectors.outbound(target);
        String domain = null;
        if (connector.isEmpty()) {
            domain =
                    DomainPattern.normalize(target)
                            .orElseThrow(
                                    () ->
                                            new UserException(
                                                    "'"
                                                            + target
                                                            + "' is neither an outbound connector in "
                                                            + parent.connectors
                                                            + " nor a domain name",
                                                    2));
            connector = connectors.outboundFor(domain);
        }
        OutboundTlsLevel level =
                connector.map(OutboundConnector::tlsLevel).orElse(OutboundTlsLevel.OPPORTUNISTIC);
        if (connector.isPresent()) {
            out.println(
                    "connector:   "
                            + connector.get().name()
                            + " ("
                            + connector.get().policyDescription()
                            + ")");
        } else {
            out.println(
                    "connector:   none covers "
                            + domain
                            + "; judged as opportunistic (James's ordinary RemoteDelivery)");
        }
        if (level == OutboundTlsLevel.DANE) {
            if (domain == null) {
                throw new UserException(
                        "connector '" + target + "' is decided per domain (dane); name a domain",
                        2);
            }
            TlsCheckDane dane = new TlsCheckDane(Duration.ofSeconds(timeoutSeconds), helo);
            DanePolicy policy = dane.policy(connectors, domain, out);
            if (policy.kind() != DanePolicy.Kind.NOT_APPLICABLE) {
                return dane.probe(connector.get(), policy, out, report -> print(out, report));
            }
            level = connector.get().fallbackLevel();
        }
        List<SmartHost> hosts = hosts(connector, domain);
        Optional<MtaStsPolicy> mtaSts =
                domain == null || noMtaSts ? Optional.empty() : printMtaSts(out, domain);
        boolean enforced = false;
        if (level == OutboundTlsLevel.MTA_STS) {
            // as RouteByMtaSts and MtaStsRemoteDelivery decide in James
            enforced =
                    mtaSts.map(policy -> policy.mode() == MtaStsPolicy.Mode.ENFORCE).orElse(false);
            level = enforced ? OutboundTlsLevel.VERIFY : connector.get().mtaStsFallbackLevel();
            out.println(
                    "mta-sts:     "
                            + (enforced
                                    ? "enforced: only MX hosts in the policy, STARTTLS and a certificate verified for the MX host"
                                    : "no enforce policy"
                                            + (noMtaSts ? " looked up (--no-mta-sts)" : "")
                                            + ": the fallback level "
                                            + level
                                            + " applies"));
        }
        OutboundProbe probe = probe(connector);
        if (connector.isPresent()
                && connector.get().clientCertificate().isPresent()
                && level.encryptionMandatory()) {
            // as ConnectorContexts makes delivery do: the primary version from DKM, or no attempt
            Optional<ClientKey> key = clientKey(connector.get(), out);
            if (key.isEmpty()) {
                out.println(
                        "decision:    mail would wait: no TLS attempt without the client"
                                + " certificate; RemoteDelivery retries, then bounces");
                out.flush();
                return 1;
            }
            probe = probe.presenting(key.get());
        }
        boolean enforcing = enforced;
        for (SmartHost host : hosts) {
            if (enforced && !mtaSts.get().allowsMx(host.host())) {
                out.println("host:        " + host);
                out.println(
                        "  mta-sts:   "
                                + host.host()
                                + " is NOT in the policy's mx list: not tried");
                continue;
            }
            ProbeReport report =
                    probe.probe(host, level, connector.flatMap(OutboundConnector::minimumProtocol));
            print(out, report);
            mtaSts.ifPresent(
                    policy ->
                            out.println(
                                    "  mta-sts:   "
                                            + host.host()
                                            + (policy.allowsMx(host.host())
                                                    ? " is allowed by the policy"
                                                    : " is NOT in the policy's mx list")
                                            + (enforcing ? " (enforced)" : " (informational)")));
            if (report.connectError().isEmpty()) {
                // RemoteDelivery moves to the next host only when this one cannot be reached.
                out.flush();
                return report.wouldDeliver() ? 0 : 1;
            }
        }
        out.println(
                enforced
                        ? "decision:    mail would wait: no MX host in the MTA-STS policy answered; RemoteDelivery retries, then bounces"
                        : "decision:    mail would wait: no host answered; RemoteDelivery retries, then bounces");
        out.flush();
        return 1;
    }

    /**
     * The connector's client certificate from DKM and a line saying which one; empty (after a line
     * saying why) when DKM cannot be reached or the secret is not usable, as delivery would find.
     */
    private Optional<ClientKey> clientKey(OutboundConnector connector, PrintWriter out) {
        DkmClientKeys keys =
                new DkmClientKeys(
                        DkmClients.lazy("--dkm-config", dkmConfig),
                        connector.clientCertificate().get(),
                        Clock.systemUTC());
        try {
            ClientKey key = keys.load();
            out.println(
                    "client:      "
                            + keys.describe()
                            + " version "
                            + key.version()
                            + ": "
                            + key.certificate()
                                    .getSubjectX500Principal()
                                    .getName(X500Principal.RFC2253)
                            + " (expires "
                            + key.certificate().getNotAfter().toInstant()
                            + "), presented when a host asks");
            return Optional.of(key);
        } catch (IOException e) {
            out.println("client:      " + e.getMessage());
        } catch (InvalidConnectorsException e) {
            out.println(
                    "client:      "
                            + e.getMessage()
                            + " (James would refuse to start: fix the secret)");
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), 2);
        }
        return Optional.empty();
    }

    /**
     * Prints the recipient domain's MTA-STS policy: enforced for domains of {@code mta-sts}
     * connectors, informational for the others.
     */
    private Optional<MtaStsPolicy> printMtaSts(PrintWriter out, String domain) {
        SSLContext tls;
        try {
            tls = SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new UserException("the JVM has no default TLS context: " + e.getMessage(), 1);
        }
        MtaStsResolver.Result result =
                new MtaStsResolver(
                                new JndiTxtLookup(jndiServers()),
                                tls,
                                MtaStsResolver::wellKnownUri,
                                Duration.ofSeconds(timeoutSeconds),
                                Clock.systemUTC())
                        .resolve(domain);
        out.println(
                "mta-sts:     "
                        + result.policy()
                                .map(
                                        policy ->
                                                policy
                                                        + " (id "
                                                        + result.id().orElse("?")
                                                        + ", "
                                                        + result.source()
                                                        + ")")
                                .orElse(result.source()));
        return result.policy();
    }

    /**
     * {@code --dns} for the JNDI lookups of the outbound check: one {@code host[:port]}, or several
     * as JNDI's space separated URL list (MxLookup and JndiTxtLookup put {@code dns://} before and
     * {@code /} after). Host names still work here, as they did for {@code --dns-server}.
     */
    private Optional<String> jndiServers() {
        if (dnsServers == null) {
            return Optional.empty();
        }
        List<String> servers =
                Arrays.stream(dnsServers.trim().split("[,\\s]+"))
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toList());
        if (servers.isEmpty()) {
            throw new UserException("--dns: no server given", 2);
        }
        return Optional.of(String.join("/ dns://", servers));
    }

    private List<SmartHost> hosts(Optional<OutboundConnector> connector, String domain) {
        if (connector.isPresent() && !connector.get().smartHosts().isEmpty()) {
            return connector.get().smartHosts();
        }
        String mxDomain = domain;
        if (mxDomain == null) {
            throw new UserException(
                    "connector '"
                            + target
                            + "' delivers by MX; name one of its domains instead: "
                            + connector.get().recipientDomains(),
                    2);
        }
        try {
            List<SmartHost> mx = new MxLookup(jndiServers()).hostsFor(mxDomain);
            if (mx.isEmpty()) {
                throw new UserException(mxDomain + " accepts no mail (null MX)", 1);
            }
            return mx;
        } catch (NamingException e) {
            throw new UserException(
                    "cannot look up the MX hosts of " + mxDomain + ": " + e.getMessage(), 1);
        }
    }

    private OutboundProbe probe(Optional<OutboundConnector> connector) {
        if (trustStore == null && connector.isPresent() && connector.get().hasOwnTrust()) {
            // as ConnectorRemoteDelivery judges in James: the connector's trust store and expected
            // names
            try {
                return new OutboundProbe(
                        Duration.ofSeconds(timeoutSeconds),
                        ConnectorTrust.chainTrust(connector.get(), PackPaths.home()),
                        connector.get().expectedNames(),
                        helo);
            } catch (InvalidConnectorsException e) {
                throw new UserException(e.getMessage(), 2);
            }
        }
        try {
            return new OutboundProbe(
                    Duration.ofSeconds(timeoutSeconds),
                    trustStore == null ? null : loadPem(trustStore),
                    helo);
        } catch (GeneralSecurityException e) {
            throw new UserException("cannot use the trust store: " + e.getMessage(), 2);
        }
    }

    private static KeyStore loadPem(Path file) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new GeneralSecurityException(file + " holds no PEM certificate");
            }
            return store;
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), 2);
        }
    }

    private void print(PrintWriter out, ProbeReport report) {
        out.println("host:        " + report.host());
        if (report.connectError().isPresent()) {
            out.println("  session:   " + report.connectError().get());
            return;
        }
        out.println("  STARTTLS:  " + (report.startTlsOffered() ? "offered" : "NOT offered"));
        report.clientCertificate().ifPresent(text -> out.println("  client:    " + text));
        report.handshakeError().ifPresent(error -> out.println("  handshake: FAILED: " + error));
        report.protocol().ifPresent(protocol -> out.println("  protocol:  " + protocol));
        report.cipherSuite().ifPresent(cipher -> out.println("  cipher:    " + cipher));
        boolean first = true;
        for (ProbeReport.CertificateSummary certificate : report.chain()) {
            out.println(
                    (first ? "  chain:     " : "             ")
                            + certificate.subject()
                            + " (issuer "
                            + certificate.issuer()
                            + ", expires "
                            + certificate.notAfter()
                            + (certificate.subjectAltNames().isEmpty()
                                    ? ""
                                    : ", " + String.join(" ", certificate.subjectAltNames()))
                            + ")");
            first = false;
        }
        if (!report.chain().isEmpty()) {
            out.println(
                    "  trust:     "
                            + report.trustError()
                                    .map(error -> "NOT trusted: " + error)
                                    .orElse("trusted"));
            out.println(
                    "  name:      "
                            + report.matchedName()
                                    .map(name -> report.host().host() + " matches " + name)
                                    .orElse("NO name matches " + report.host().host()));
        }
        out.println("decision:    " + report.decision());
    }
}
