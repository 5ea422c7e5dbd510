package dev.mailsec.mailets.connector;

import dev.mailsec.tls.connector.mtasts.MtaStsPolicy;
import dev.mailsec.tls.connector.mtasts.MtaStsResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * James's DNS service as one {@link MtaStsRemoteDelivery} sees it: the MX hosts of a domain whose
 * MTA-STS policy is in {@code enforce} mode are narrowed to those the policy's {@code mx} patterns
 * allow (RFC 8461 section 4.1), so RemoteDelivery never connects to another host; none allowed
 * means no target server, a temporary failure RemoteDelivery retries ({@code maxDnsProblemRetries})
 * and then bounces. In report mode, and for {@code testing} policies, nothing is removed and a
 * mismatch is logged. Everything else is James's DNS service unchanged.
 */
final class MtaStsDns implements DNSService {

    private static final Logger LOGGER = LoggerFactory.getLogger(MtaStsDns.class);

    private final DNSService dns;
    private volatile MtaStsResolver resolver;
    private volatile boolean enforce;

    MtaStsDns(DNSService dns) {
        this.dns = dns;
    }

    /** Set once by the mailet's {@code init()}, before any delivery. */
    void configure(MtaStsResolver resolver, boolean enforce) {
        this.resolver = resolver;
        this.enforce = enforce;
    }

    DNSService delegate() {
        return dns;
    }

    @Override
    public Collection<String> findMXRecords(String domain) throws TemporaryResolutionException {
        Collection<String> hosts = dns.findMXRecords(domain);
        MtaStsResolver policies = resolver;
        if (policies == null) {
            return hosts;
        }
        MtaStsResolver.Result result = policies.resolve(domain);
        Optional<MtaStsPolicy> policy = result.policy();
        MtaStsSessions.begin(domain, result);
        if (policy.isEmpty() || policy.get().mode() == MtaStsPolicy.Mode.NONE) {
            return hosts;
        }
        List<String> allowed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (String host : hosts) {
            (policy.get().allowsMx(hostName(host)) ? allowed : refused).add(host);
        }
        if (refused.isEmpty()) {
            return hosts;
        }
        if (enforce && policy.get().mode() == MtaStsPolicy.Mode.ENFORCE) {
            LOGGER.warn(
                    "MTA-STS enforce policy of {} ({}): not delivering to MX hosts {}, allowed: {}",
                    domain,
                    policy.get(),
                    refused,
                    allowed);
            return allowed;
        }
        LOGGER.warn(
                "MTA-STS {} policy of {} ({}): MX hosts {} are not in the policy; delivering anyway (report only)",
                policy.get().mode().name().toLowerCase(Locale.ROOT),
                domain,
                policy.get(),
                refused);
        return hosts;
    }

    /** An MX entry may carry a trailing dot or a port. */
    static String hostName(String mx) {
        String host = mx;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(':') == colon) {
            host = host.substring(0, colon);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    @Override
    public Collection<String> findTXTRecords(String hostname) {
        return dns.findTXTRecords(hostname);
    }

    @Override
    public Collection<InetAddress> getAllByName(String host) throws UnknownHostException {
        return dns.getAllByName(host);
    }

    @Override
    public InetAddress getByName(String host) throws UnknownHostException {
        return dns.getByName(host);
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
