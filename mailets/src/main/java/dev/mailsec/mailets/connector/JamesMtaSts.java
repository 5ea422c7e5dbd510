package dev.mailsec.mailets.connector;

import dev.mailsec.tls.connector.mtasts.JndiTxtLookup;
import dev.mailsec.tls.connector.mtasts.MtaStsCache;
import dev.mailsec.tls.connector.mtasts.MtaStsResolver;
import dev.mailsec.tls.connector.mtasts.SocketPolicyFetcher;
import java.net.InetAddress;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.james.dnsservice.api.DNSService;

/**
 * The MTA-STS resolver of mailets running in James: TXT records and the policy host's addresses
 * come from James's own DNS service ({@code dnsservice.xml}), the policy host's certificate is
 * checked against the JVM's trust store, and all mailets share {@link MtaStsCache#shared()}.
 */
final class JamesMtaSts {

    /**
     * How long a policy fetch may take; the routing step waits this long at most, once per policy
     * id.
     */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

    private JamesMtaSts() {}

    static MtaStsResolver resolver(DNSService dns) {
        SSLContext tls;
        try {
            tls = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no default TLS context", e);
        }
        MtaStsResolver.TxtLookup txt =
                name -> {
                    List<String> records = new ArrayList<>();
                    for (String record : dns.findTXTRecords(name)) {
                        records.add(JndiTxtLookup.joinStrings(record));
                    }
                    return records;
                };
        SocketPolicyFetcher.AddressLookup addresses =
                host -> new ArrayList<InetAddress>(dns.getAllByName(host));
        return new MtaStsResolver(
                txt,
                new SocketPolicyFetcher(addresses, tls, 443, FETCH_TIMEOUT),
                Clock.systemUTC(),
                MtaStsCache.shared());
    }
}
