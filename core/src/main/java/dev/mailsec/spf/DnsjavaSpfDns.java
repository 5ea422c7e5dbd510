package dev.mailsec.spf;

import dev.mailsec.dns.DnsQuestion;
import dev.mailsec.dns.TtlCache;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * SPF's DNS through dnsjava (the copy James 3.8.1 ships). Each server is asked in turn with a
 * timeout; a timeout, SERVFAIL or other RCODE from every server is {@link
 * SpfDns.Status#TEMPORARY_FAILURE}. Answers are cached in a bounded LRU for their TTL (capped),
 * NXDOMAIN and no-data for a short fixed time, failures never. Thread-safe; share one instance.
 */
public final class DnsjavaSpfDns implements SpfDns {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_CACHE_SIZE = 10_000;
    public static final Duration MAX_TTL = Duration.ofHours(6);
    public static final Duration NEGATIVE_TTL = Duration.ofMinutes(1);

    private final List<InetSocketAddress> servers;
    private final Duration timeout;
    private final Clock clock;
    private final TtlCache<Answer> cache;

    /**
     * @param servers servers asked in order; empty means the system's resolvers
     * @param cacheSize names kept, 0 for no cache
     */
    public DnsjavaSpfDns(
            List<InetSocketAddress> servers, Duration timeout, int cacheSize, Clock clock) {
        this.servers = DnsQuestion.serversOrSystem(servers);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (cacheSize < 0) {
            throw new IllegalArgumentException(
                    "dnsCacheSize: must not be negative, got " + cacheSize);
        }
        this.cache = new TtlCache<>(cacheSize);
    }

    public List<InetSocketAddress> servers() {
        return servers;
    }

    @Override
    public Answer query(String name, SpfDns.Type type) {
        String key = type + " " + name.toLowerCase(Locale.ROOT);
        long now = clock.millis();
        Answer cached = cache.get(key, now);
        if (cached != null) {
            return cached;
        }
        Name qname;
        try {
            qname = wireName(name);
        } catch (IOException | IllegalArgumentException e) {
            return Answer.nxdomain();
        }
        int qtype = dnsType(type);
        DnsQuestion.Outcome outcome = DnsQuestion.ask(servers, timeout, qname, qtype, null);
        if (outcome.nxdomain()) {
            return cache.remember(key, Answer.nxdomain(), NEGATIVE_TTL.toMillis(), now);
        }
        if (outcome.response() == null) {
            return Answer.temporaryFailure(outcome.failure());
        }
        List<String> data = new ArrayList<>();
        List<Integer> preferences = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record r : outcome.response().getSection(Section.ANSWER)) {
            String value = value(r, qtype);
            if (value != null) {
                int at = data.size();
                if (r instanceof MXRecord) {
                    int p = ((MXRecord) r).getPriority();
                    while (at > 0 && preferences.get(at - 1) > p) {
                        at--;
                    }
                    preferences.add(at, p);
                }
                data.add(at, value);
                ttl = Math.min(ttl, r.getTTL());
            }
        }
        long keep = data.isEmpty() ? NEGATIVE_TTL.toMillis() : TtlCache.capped(ttl, MAX_TTL);
        return cache.remember(key, Answer.of(data), keep, now);
    }

    private static String value(Record r, int qtype) {
        if (r.getType() != qtype) {
            return null;
        }
        if (r instanceof TXTRecord) {
            return DnsQuestion.text((TXTRecord) r);
        }
        if (r instanceof ARecord) {
            return ((ARecord) r).getAddress().getHostAddress();
        }
        if (r instanceof AAAARecord) {
            return ((AAAARecord) r).getAddress().getHostAddress();
        }
        if (r instanceof MXRecord) {
            return bare(((MXRecord) r).getTarget());
        }
        if (r instanceof PTRRecord) {
            return bare(((PTRRecord) r).getTarget());
        }
        return null;
    }

    private static String bare(Name name) {
        String s = name.toString(true);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** Builds the name from its labels' bytes, so '%', spaces and the like need no escaping. */
    private static Name wireName(String name) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (String label : name.split("\\.")) {
            byte[] b = label.getBytes(StandardCharsets.ISO_8859_1);
            if (b.length == 0 || b.length > 63) {
                throw new IllegalArgumentException("bad label");
            }
            wire.write(b.length);
            wire.write(b);
        }
        wire.write(0);
        return new Name(wire.toByteArray());
    }

    // full name: SpfDns.Type, inherited, hides an import of org.xbill.DNS.Type
    private static int dnsType(SpfDns.Type type) {
        switch (type) {
            case TXT:
                return org.xbill.DNS.Type.TXT;
            case A:
                return org.xbill.DNS.Type.A;
            case AAAA:
                return org.xbill.DNS.Type.AAAA;
            case MX:
                return org.xbill.DNS.Type.MX;
            default:
                return org.xbill.DNS.Type.PTR;
        }
    }

    /** Entries currently cached. */
    public int cachedNames() {
        return cache.size();
    }

    @Override
    public String toString() {
        return "DnsjavaSpfDns{servers=" + servers + ", timeout=" + timeout + "}";
    }
}
