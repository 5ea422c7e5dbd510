package dev.mailsec.mailets.connector;

import dev.mailsec.tls.connector.ClientKeyCache;
import dev.mailsec.tls.connector.ConnectorSocketFactory;
import dev.mailsec.tls.connector.DaneHostTrust;
import dev.mailsec.tls.connector.dane.DaneHost;
import dev.mailsec.tls.connector.dane.DanePolicies;
import dev.mailsec.tls.connector.dane.DanePolicy;
import dev.mailsec.tls.connector.dane.TlsaRecord;
import dev.mailsec.tls.report.TlsPolicy;
import dev.mailsec.tls.report.TlsResultType;
import dev.mailsec.tls.report.TlsSessionContext;
import dev.mailsec.tls.report.TlsSessions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * James's DNS service as the DANE delivery ({@code dane=enforce}) of a {@link DaneRemoteDelivery}
 * sees it: the MX lookup of a recipient domain is replaced by the domain's DANE decision
 * (DNSSEC-validated MX and TLSA records, RFC 7672 section 2.2), made afresh at every attempt
 * (answers are cached only for their TTL, bogus ones not at all). Under {@link DanePolicy.Kind#DANE
 * DANE} only the MX hosts with secure TLSA records are returned, so RemoteDelivery never connects
 * to another host of the MX set, and the delivery thread is bound to their {@link DaneHostTrust}
 * (through {@link ConnectorSocketFactory}), so STARTTLS trusts exactly their TLSA records. Held
 * (bogus or failed lookups) or no longer applicable: no host at all, a temporary failure
 * RemoteDelivery retries ({@code maxDnsProblemRetries}) and then bounces; the queue hands mail
 * whose domain DANE no longer applies to back to the routing step first. Policy failures go to the
 * TLS reports as RFC 8460 section 4.3.2.2 says: {@code dnssec-invalid} for bogus or failed lookups,
 * {@code tlsa-invalid} for a host whose TLSA records are all unusable; each session runs under
 * policy type {@code tlsa} with its host's TLSA records. Address lookups are James's own. Without
 * {@link #enforce} (the fallback delivery) it is {@link TlsReportingDns} unchanged.
 */
final class DaneDeliveryDns implements DNSService {

    private static final Logger LOGGER = LoggerFactory.getLogger(DaneDeliveryDns.class);
    private static final int MAX_ADDRESSES = 64;

    private final DNSService dns;
    private final Clock clock;
    private final ThreadLocal<DanePolicy> current = new ThreadLocal<>();
    private final ThreadLocal<Map<String, String>> hostByAddress =
            ThreadLocal.withInitial(HashMap::new);
    private volatile DanePolicies policies;
    private volatile String connector = "";
    private volatile Optional<ClientKeyCache> clientKey = Optional.empty();

    DaneDeliveryDns(DNSService dns, Clock clock) {
        this.dns = dns;
        this.clock = clock;
    }

    /** Set once by the mailet's {@code init()}, before any delivery. */
    void enforce(DanePolicies policies) {
        this.policies = policies;
    }

    /**
     * As {@link #enforce(DanePolicies)}, presenting the connector's client certificate to every
     * DANE host ({@link DaneHostTrust}).
     */
    void enforce(DanePolicies policies, String connector, Optional<ClientKeyCache> clientKey) {
        this.connector = connector;
        this.clientKey = clientKey;
        this.policies = policies;
    }

    @Override
    public Collection<String> findMXRecords(String domain) throws TemporaryResolutionException {
        DanePolicies decisions = policies;
        if (decisions == null) {
            return dns.findMXRecords(domain);
        }
        TlsReportingDns.useExtensionLoader();
        String d = domain.toLowerCase(Locale.ROOT);
        DanePolicy policy = decisions.resolve(d);
        current.set(policy);
        Map<String, String> hosts = hostByAddress.get();
        hosts.clear();
        // the thread trusts only what this decision allows, whatever it is
        ConnectorSocketFactory.bindCurrentThread(
                new DaneHostTrust(
                        policy,
                        address -> hosts.getOrDefault(address, address),
                        clock,
                        connector,
                        clientKey));
        TlsSessionContext.begin(TlsPolicy.tlsa(d, List.of()));
        report(policy);
        List<String> deliverable = policy.deliverableHosts();
        if (deliverable.isEmpty()) {
            LOGGER.warn("{}; the mail waits for its next attempt", policy.describe());
        }
        return deliverable;
    }

    /** The policy failures of a decision (RFC 8460 section 4.3.2.2). */
    private static void report(DanePolicy policy) {
        if (policy.kind() == DanePolicy.Kind.HOLD && policy.hosts().isEmpty()) {
            // the MX lookup itself was bogus or failed
            TlsSessions.failure(
                    TlsPolicy.tlsa(policy.domain(), List.of()),
                    TlsResultType.DNSSEC_INVALID,
                    "",
                    "",
                    "");
            return;
        }
        for (DaneHost host : policy.hosts()) {
            if (host.mode() == DaneHost.Mode.UNUSABLE) {
                TlsSessions.failure(
                        TlsPolicy.tlsa(policy.domain(), List.of()),
                        TlsResultType.DNSSEC_INVALID,
                        "",
                        host.host(),
                        "");
            } else if (host.mode() == DaneHost.Mode.ENCRYPTED) {
                TlsSessions.failure(
                        TlsPolicy.tlsa(policy.domain(), strings(host.records())),
                        TlsResultType.TLSA_INVALID,
                        "",
                        host.host(),
                        "");
            }
        }
    }

    private static List<String> strings(List<TlsaRecord> records) {
        List<String> out = new ArrayList<>();
        records.forEach(record -> out.add(record.toString()));
        return out;
    }

    @Override
    public Collection<String> findTXTRecords(String hostname) {
        return dns.findTXTRecords(hostname);
    }

    @Override
    public Collection<InetAddress> getAllByName(String host) throws UnknownHostException {
        session(host);
        return remember(host, dns.getAllByName(host));
    }

    @Override
    public InetAddress getByName(String host) throws UnknownHostException {
        session(host);
        InetAddress address = dns.getByName(host);
        remember(host, List.of(address));
        return address;
    }

    /** Which MX host each address belongs to, for {@link DaneHostTrust} (by address). */
    private Collection<InetAddress> remember(String host, Collection<InetAddress> addresses) {
        if (policies != null) {
            Map<String, String> hosts = hostByAddress.get();
            for (InetAddress address : addresses) {
                if (hosts.size() < MAX_ADDRESSES) {
                    hosts.put(address.getHostAddress(), MtaStsDns.hostName(host));
                }
            }
        }
        return addresses;
    }

    /**
     * RemoteDelivery resolves each MX host right before connecting to it: the sessions that follow
     * run under that host's TLSA records.
     */
    private void session(String host) {
        DanePolicy policy = policies == null ? null : current.get();
        if (policy == null) {
            return;
        }
        String name = MtaStsDns.hostName(host).toLowerCase(Locale.ROOT);
        Optional<DaneHost> entry = policy.host(name);
        if (entry.isPresent()) {
            TlsSessionContext.begin(
                    TlsPolicy.tlsa(policy.domain(), strings(entry.get().records())));
        }
    }

    @Override
    public InetAddress getLocalHost() throws UnknownHostException {
        return dns.getLocalHost();
    }

    @Override
    public String getHostName(InetAddress addr) {
        return dns.getHostName(addr);
    }
}
