package dev.mailsec.mailets.dkim;

import dev.mailsec.authentication.DnsParameters;
import dev.mailsec.config.ConfigException;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkim.KeyRecordSource;
import java.util.List;
import javax.mail.MessagingException;

/**
 * The key-record parameters of the mailets that fetch DKIM keys or DMARC records ({@code
 * VerifyDkim}, {@code VerifyArc}, {@code SealArc}, {@code VerifyDmarc}), read by core's {@link
 * DnsParameters} (the one reader, also {@code VerifySpf}'s and {@code RefuseDmarcReject}'s): {@code
 * zoneFile} or DNS ({@code dnsServers}, {@code dnsTimeoutMillis}, {@code dnsCacheSize}). Bad values
 * fail naming the mailet, the parameter and the value.
 */
public final class KeySourceParameters {
    public static final String ZONE_FILE = DnsParameters.ZONE_FILE;
    public static final String DNS_SERVERS = DnsParameters.DNS_SERVERS;
    public static final String DNS_TIMEOUT = DnsParameters.DNS_TIMEOUT;
    public static final String DNS_CACHE_SIZE = DnsParameters.DNS_CACHE_SIZE;

    /** The parameter names, for {@code InitParameters.checkKnown}. */
    public static final List<String> NAMES = DnsParameters.NAMES;

    private KeySourceParameters() {}

    /**
     * Reads and checks the parameters; returns the key source, or null when {@code build} is false
     * (a test injected its own source: the values are still checked).
     */
    public static KeyRecordSource read(String mailet, Parameters p, boolean build)
            throws MessagingException {
        try {
            DnsParameters dns = DnsParameters.read(mailet, p);
            return build ? dns.txt() : null;
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
    }
}
