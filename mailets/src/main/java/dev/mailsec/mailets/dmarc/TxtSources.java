package dev.mailsec.mailets.dmarc;

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
 * The TXT source of a mailet from its DNS parameters, as {@code VerifyDkim} reads them: {@code
 * zoneFile}, or {@code dnsServers}, {@code dnsTimeoutMillis}, {@code dnsCacheSize}.
 */
final class TxtSources {

    static final String ZONE_FILE = "zoneFile";
    static final String DNS_SERVERS = "dnsServers";
    static final String DNS_TIMEOUT = "dnsTimeoutMillis";
    static final String DNS_CACHE_SIZE = "dnsCacheSize";
    static final List<String> NAMES = List.of(ZONE_FILE, DNS_SERVERS, DNS_TIMEOUT, DNS_CACHE_SIZE);

    private TxtSources() {}

    static KeyRecordSource read(String owner, Parameters p) throws MessagingException {
        String zone = p.optional(ZONE_FILE).orElse(null);
        if (zone != null) {
            for (String dns : List.of(DNS_SERVERS, DNS_TIMEOUT, DNS_CACHE_SIZE)) {
                if (p.optional(dns).isPresent()) {
                    throw new MessagingException(
                            owner + ": " + dns + " cannot be combined with " + ZONE_FILE);
                }
            }
            try {
                return ZoneFileKeyRecordSource.load(PackPaths.resolve(zone));
            } catch (IOException | IllegalArgumentException e) {
                throw new MessagingException(
                        owner
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
        try {
            return dns.build();
        } catch (IllegalArgumentException e) {
            String problem = String.valueOf(e.getMessage()).replaceFirst("^[A-Za-z]+: ", "");
            throw new MessagingException(owner + ": " + DNS_SERVERS + ": " + problem, e);
        }
    }
}
