package dev.mailsec.authentication;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.PackPaths;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkim.DnsKeyRecordSource;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dkim.ZoneFileKeyRecordSource;
import dev.mailsec.dns.DnsServers;
import dev.mailsec.spf.DnsjavaSpfDns;
import dev.mailsec.spf.SpfDns;
import dev.mailsec.spf.ZoneFileSpfDns;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The DNS parameters of every step that asks DNS for authentication ({@code VerifyDkim}, {@code
 * VerifySpf}, {@code VerifyArc}, {@code SealArc}, {@code VerifyDmarc}, {@code RefuseDmarcReject}),
 * read one way: {@code zoneFile} (a BIND zone file, a path by docs/paths.md, for tests and offline
 * use) or DNS ({@code dnsServers}: IP[:port] list, default the system's resolvers; {@code
 * dnsTimeoutMillis}: 1 ms to 1 min, default 5 s; {@code dnsCacheSize}: 0 to 10,000,000 answers,
 * default 10,000), the two refused together. A bad value throws a {@link ConfigException} naming
 * the owner, the parameter and the value; a zone file that cannot be read fails when the source is
 * built, at start.
 */
public final class DnsParameters {

    public static final String ZONE_FILE = "zoneFile";
    public static final String DNS_SERVERS = "dnsServers";
    public static final String DNS_TIMEOUT = "dnsTimeoutMillis";
    public static final String DNS_CACHE_SIZE = "dnsCacheSize";

    /** The DNS sources' defaults (named here: their classes need dnsjava loaded). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    static final int DEFAULT_CACHE_SIZE = 10_000;

    /** The parameter names, for {@code InitParameters.checkKnown}. */
    public static final List<String> NAMES =
            List.of(ZONE_FILE, DNS_SERVERS, DNS_TIMEOUT, DNS_CACHE_SIZE);

    private final String owner;
    private final String zone;
    private final List<InetSocketAddress> servers;
    private final Duration timeout;
    private final int cacheSize;

    private DnsParameters(
            String owner,
            String zone,
            List<InetSocketAddress> servers,
            Duration timeout,
            int cacheSize) {
        this.owner = owner;
        this.zone = zone;
        this.servers = servers;
        this.timeout = timeout;
        this.cacheSize = cacheSize;
    }

    /** Reads and checks the parameters; builds nothing yet. */
    public static DnsParameters read(String owner, Parameters p) {
        String zone = p.optional(ZONE_FILE).orElse(null);
        Duration timeout =
                p.duration(
                        DNS_TIMEOUT,
                        ChronoUnit.MILLIS,
                        DEFAULT_TIMEOUT,
                        Duration.ofMillis(1),
                        Duration.ofMinutes(1));
        int cacheSize = (int) p.integer(DNS_CACHE_SIZE, DEFAULT_CACHE_SIZE, 0, 10_000_000);
        if (zone != null) {
            for (String dns : List.of(DNS_SERVERS, DNS_TIMEOUT, DNS_CACHE_SIZE)) {
                if (p.optional(dns).isPresent()) {
                    throw new ConfigException(
                            owner,
                            dns,
                            p.optional(dns).get(),
                            "cannot be combined with " + ZONE_FILE,
                            null);
                }
            }
        }
        String given = p.optional(DNS_SERVERS).orElse("");
        List<InetSocketAddress> servers;
        try {
            servers = given.isBlank() ? List.of() : DnsServers.parse(given);
        } catch (IllegalArgumentException e) {
            // the parser names its own knob and quotes the entry ("dnsServers: ..."): said once
            String problem = String.valueOf(e.getMessage()).replaceFirst("^[A-Za-z]+: ", "");
            throw ConfigException.stated(owner, DNS_SERVERS, given, problem, e);
        }
        return new DnsParameters(owner, zone, servers, timeout, cacheSize);
    }

    /** TXT records (DKIM keys, DMARC records): the zone file, or DNS with a cache. */
    public KeyRecordSource txt() {
        if (zone != null) {
            try {
                return ZoneFileKeyRecordSource.load(PackPaths.resolve(zone));
            } catch (IOException | IllegalArgumentException e) {
                throw unreadableZone(e);
            }
        }
        DnsKeyRecordSource.Builder dns =
                DnsKeyRecordSource.builder().timeout(timeout).cacheSize(cacheSize);
        servers.forEach(dns::server);
        return dns.build();
    }

    /** SPF's questions (TXT, A, AAAA, MX, PTR): the zone file, or DNS with a cache. */
    public SpfDns spf() {
        if (zone != null) {
            try {
                return ZoneFileSpfDns.load(PackPaths.resolve(zone));
            } catch (IOException | IllegalArgumentException e) {
                throw unreadableZone(e);
            }
        }
        return new DnsjavaSpfDns(servers, timeout, cacheSize, Clock.systemUTC());
    }

    private ConfigException unreadableZone(Exception e) {
        return ConfigException.stated(
                owner, ZONE_FILE, zone, "cannot read '" + zone + "': " + e.getMessage(), e);
    }
}
