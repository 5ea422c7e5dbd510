package dev.mailsec.cli.tls;

import dev.mailsec.cli.UserException;
import dev.mailsec.config.PackPaths;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.OutboundConnector;
import dev.mailsec.tls.connector.OutboundProbe;
import dev.mailsec.tls.connector.OutboundTlsLevel;
import dev.mailsec.tls.connector.ProbeReport;
import dev.mailsec.tls.connector.SmartHost;
import dev.mailsec.tls.connector.dane.DaneHost;
import dev.mailsec.tls.connector.dane.DanePolicies;
import dev.mailsec.tls.connector.dane.DanePolicy;
import dev.mailsec.tls.connector.dane.DaneTrustManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The DANE part of {@code tls check} for a {@code dane} connector: the domain's {@link DanePolicy}
 * from the connectors file's {@code <dane>} resolver, and, when DANE applies, each MX host with
 * TLSA records probed with exactly its TLSA records as trust ({@link DaneTrustManager}).
 */
final class TlsCheckDane {

    private final Duration timeout;
    private final String helo;

    TlsCheckDane(Duration timeout, String helo) {
        this.timeout = timeout;
        this.helo = helo;
    }

    /** The decision for {@code domain}, printed. */
    DanePolicy policy(Connectors connectors, String domain, PrintWriter out) {
        DanePolicies policies;
        try {
            policies = new DanePolicies(connectors.dane().orElseThrow().open(PackPaths.home()));
        } catch (IOException | IllegalArgumentException e) {
            throw new UserException("dane: " + e.getMessage(), 2);
        }
        DanePolicy policy = policies.resolve(domain);
        out.println("dane:        " + policy.describe().replace("\n  ", "\n             "));
        return policy;
    }

    /**
     * Probes the hosts DANE allows, most preferred first, as delivery would; the exit code: 0 when
     * the first host that answers would take the mail, 1 otherwise.
     */
    int probe(
            OutboundConnector connector,
            DanePolicy policy,
            PrintWriter out,
            Consumer<ProbeReport> print) {
        if (policy.kind() == DanePolicy.Kind.HOLD) {
            out.println(
                    "decision:    mail would wait (never sent in clear nor by another level); "
                            + "RemoteDelivery retries, then bounces");
            out.flush();
            return 1;
        }
        for (String name : policy.deliverableHosts()) {
            DaneHost host = policy.host(name).orElseThrow();
            ProbeReport report;
            if (host.mode() == DaneHost.Mode.AUTHENTICATED) {
                DaneTrustManager trust =
                        new DaneTrustManager(
                                host.records(), List.of(name, policy.domain()), Clock.systemUTC());
                report =
                        new OutboundProbe(timeout, trust, List.of(), helo)
                                .probe(
                                        SmartHost.parse(name),
                                        OutboundTlsLevel.DANE,
                                        connector.minimumProtocol());
            } else {
                try {
                    report =
                            new OutboundProbe(timeout, null, helo)
                                    .probe(
                                            SmartHost.parse(name),
                                            OutboundTlsLevel.REQUIRED,
                                            connector.minimumProtocol());
                } catch (GeneralSecurityException e) {
                    throw new UserException("no TLS: " + e.getMessage(), 1);
                }
            }
            print.accept(report);
            if (report.connectError().isEmpty()) {
                out.flush();
                return report.wouldDeliver() ? 0 : 1;
            }
        }
        out.println(
                "decision:    mail would wait: no MX host with TLSA records answered; "
                        + "RemoteDelivery retries, then bounces");
        out.flush();
        return 1;
    }
}
