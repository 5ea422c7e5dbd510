package dev.mailsec.dns;

import dev.mailsec.metrics.MetricSink;
import dev.mailsec.metrics.Metrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;

/**
 * One DNS question sent through dnsjava's SimpleResolver to each server in turn, with a timeout;
 * the first NOERROR or NXDOMAIN answer wins, a network error or other RCODE moves to the next
 * server. Shared by the DKIM key source and SPF's DNS.
 */
public final class DnsQuestion {

    private DnsQuestion() {}

    /** The outcome: an answer (NOERROR), NXDOMAIN, or the last server's failure. */
    public static final class Outcome {
        private final Message response;
        private final boolean nxdomain;
        private final String failure;

        private Outcome(Message response, boolean nxdomain, String failure) {
            this.response = response;
            this.nxdomain = nxdomain;
            this.failure = failure;
        }

        /** The NOERROR response, or null. */
        public Message response() {
            return response;
        }

        public boolean nxdomain() {
            return nxdomain;
        }

        /** Why no server answered ("timeout", "network error", an RCODE, "no server"), or null. */
        public String failure() {
            return failure;
        }
    }

    /**
     * Asks {@code qname}/{@code qtype} class IN of each server in turn.
     *
     * @param onNetworkError told of each server's network error (for logging); may be null
     */
    public static Outcome ask(
            List<InetSocketAddress> servers,
            Duration timeout,
            Name qname,
            int qtype,
            BiConsumer<InetSocketAddress, IOException> onNetworkError) {
        Metrics metrics = Metrics.global();
        MetricSink.Stopwatch time = metrics.dnsLookup();
        Outcome outcome = askEach(servers, timeout, qname, qtype, onNetworkError);
        time.stop();
        if (outcome.response() == null && !outcome.nxdomain()) {
            metrics.dnsFailure();
        }
        return outcome;
    }

    private static Outcome askEach(
            List<InetSocketAddress> servers,
            Duration timeout,
            Name qname,
            int qtype,
            BiConsumer<InetSocketAddress, IOException> onNetworkError) {
        String lastFailure = "no server";
        for (InetSocketAddress server : servers) {
            Message response;
            try {
                SimpleResolver resolver = new SimpleResolver(server);
                resolver.setTimeout(timeout);
                response =
                        resolver.send(Message.newQuery(Record.newRecord(qname, qtype, DClass.IN)));
            } catch (IOException e) {
                lastFailure =
                        e instanceof SocketTimeoutException
                                        || String.valueOf(e.getMessage()).contains("imed out")
                                ? "timeout"
                                : "network error";
                if (onNetworkError != null) {
                    onNetworkError.accept(server, e);
                }
                continue;
            }
            int rcode = response.getRcode();
            if (rcode == Rcode.NXDOMAIN) {
                return new Outcome(null, true, null);
            }
            if (rcode != Rcode.NOERROR) {
                lastFailure = Rcode.string(rcode);
                continue;
            }
            return new Outcome(response, false, null);
        }
        return new Outcome(null, false, lastFailure);
    }

    /** A TXT record's strings joined, each byte as ISO-8859-1. */
    public static String text(TXTRecord r) {
        StringBuilder sb = new StringBuilder();
        for (byte[] part : r.getStringsAsByteArrays()) {
            sb.append(new String(part, StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    /**
     * {@code servers} as an immutable list, or the system's resolvers (/etc/resolv.conf) if empty;
     * none at all throws naming {@code dnsServers}.
     */
    public static List<InetSocketAddress> serversOrSystem(List<InetSocketAddress> servers) {
        if (!servers.isEmpty()) {
            return List.copyOf(servers);
        }
        List<InetSocketAddress> s = ResolverConfig.getCurrentConfig().servers();
        if (s.isEmpty()) {
            throw new IllegalArgumentException(
                    "dnsServers: none configured and none found in the system configuration");
        }
        return List.copyOf(s);
    }
}
