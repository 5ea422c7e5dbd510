package dev.mailsec.mailets.dkim;

import dev.mailsec.config.PackPaths;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkim.DnsKeyRecordSource;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dkim.ZoneFileKeyRecordSource;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import javax.mail.MessagingException;

/**
 * The key-record parameters shared by the mailets that fetch DKIM keys ({@code VerifyDkim}, and
 * ARC's {@code VerifyArc} and {@code SealArc}): {@code zoneFile} (a BIND zone file, a path by
 * docs/paths.md) or DNS ({@code dnsServers}, {@code dnsTimeoutMillis}, {@code dnsCacheSize}), the
 * two refused together. Bad values fail naming the mailet and the parameter.
 */
public final class KeySourceParameters {
    public static final String ZONE_FILE = "zoneFile";
    public static final String DNS_SERVERS = "dnsServers";
    public static final String DNS_TIMEOUT = "dnsTimeoutMillis";
    public static final String DNS_CACHE_SIZE = "dnsCacheSize";

    /** The parameter names, for {@code InitParameters.checkKnown}. */
    public static final List<String> NAMES =
            List.of(ZONE_FILE, DNS_SERVERS, DNS_TIMEOUT, DNS_CACHE_SIZE);

    private KeySourceParameters() {}

    /**
     * Reads and checks the parameters; returns the key source, or null when {@code build} is false
     * (a test injected its own source: the values are still checked).
     */
    public static KeyRecordSource read(String mailet, Parameters p, boolean build)
            throws MessagingException {
        String zone = p.optional(ZONE_FILE).orElse(null);
        if (zone != null) {
            for (String dns : List.of(DNS_SERVERS, DNS_TIMEOUT, DNS_CACHE_SIZE)) {
                if (p.optional(dns).isPresent()) {
                    throw new MessagingException(
                            mailet + ": " + dns + " cannot be combined with " + ZONE_FILE);
                }
            }
            try {
                return ZoneFileKeyRecordSource.load(PackPaths.resolve(zone));
            } catch (IOException | IllegalArgumentException e) {
                throw new MessagingException(
                        mailet
                                + ": "
                                + ZONE_FILE
                                + ": cannot read '"
                                + zone
                                + "': "
                                + e.getMessage(),
                        e);
            }
        }
        DnsKeyRecordSource.Builder dns = DnsKeyRecordSource.builder();
        p.optional(DNS_SERVERS, dns::servers);
        p.optional(DNS_TIMEOUT, v -> dns.timeout(Duration.ofMillis(Long.parseLong(v))));
        p.optional(DNS_CACHE_SIZE, v -> dns.cacheSize(Integer.parseInt(v)));
        if (!build) {
            return null;
        }
        try {
            return dns.build();
        } catch (IllegalArgumentException e) {
            // the engine names its own knob ("dnsServers: ..."); said once
            String problem = String.valueOf(e.getMessage()).replaceFirst("^[A-Za-z]+: ", "");
            throw new MessagingException(mailet + ": " + DNS_SERVERS + ": " + problem, e);
        }
    }
}
