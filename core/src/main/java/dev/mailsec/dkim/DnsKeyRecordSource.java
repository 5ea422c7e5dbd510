package dev.mailsec.dkim;

import dev.mailsec.dns.DnsServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Key records from DNS through dnsjava (the copy James 3.8.1 ships). Each server is asked in turn
 * with a timeout; NXDOMAIN or no TXT record is {@link KeyLookup.Status#NOT_FOUND}, a timeout or
 * SERVFAIL from every server is {@link KeyLookup.Status#TEMPORARY_FAILURE}. Answers are cached in a
 * bounded LRU for their TTL (capped), negative answers for a short fixed time, failures never.
 * Thread-safe; share one instance.
 */
public final class DnsKeyRecordSource implements KeyRecordSource {

    private static final Logger LOG = LoggerFactory.getLogger(DnsKeyRecordSource.class);

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_CACHE_SIZE = 10_000;
    public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(6);
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofMinutes(1);

    private final List<InetSocketAddress> servers;
    private final Duration timeout;
    private final int cacheSize;
    private final Duration maxTtl;
    private final Duration negativeTtl;
    private final Clock clock;
    private final Map<String, CachedLookup> cache;

    private static final class CachedLookup {
        final KeyLookup lookup;
        final long expiresAtMillis;

        CachedLookup(KeyLookup lookup, long expiresAtMillis) {
            this.lookup = lookup;
            this.expiresAtMillis = expiresAtMillis;
        }
    }

    private DnsKeyRecordSource(Builder b) {
        this.servers = b.servers.isEmpty() ? systemServers() : List.copyOf(b.servers);
        this.timeout = b.timeout;
        this.cacheSize = b.cacheSize;
        this.maxTtl = b.maxTtl;
        this.negativeTtl = b.negativeTtl;
        this.clock = b.clock;
        this.cache =
                new LinkedHashMap<String, CachedLookup>(256, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, CachedLookup> eldest) {
                        return size() > cacheSize;
                    }
                };
    }

    public static Builder builder() {
        return new Builder();
    }

    private static List<InetSocketAddress> systemServers() {
        List<InetSocketAddress> s = ResolverConfig.getCurrentConfig().servers();
        if (s.isEmpty()) {
            throw new IllegalArgumentException(
                    "dnsServers: none configured and none found in the system configuration");
        }
        return List.copyOf(s);
    }

    /** The servers asked, in order. */
    public List<InetSocketAddress> servers() {
        return servers;
    }

    @Override
    public KeyLookup lookup(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        long now = clock.millis();
        synchronized (cache) {
            CachedLookup e = cache.get(key);
            if (e != null) {
                if (e.expiresAtMillis > now) {
                    return e.lookup;
                }
                cache.remove(key);
            }
        }
        Name qname;
        try {
            qname = Name.fromString(key.endsWith(".") ? key : key + ".");
        } catch (TextParseException e) {
            return KeyLookup.notFound("invalid name");
        }
        String lastFailure = "no server";
        for (InetSocketAddress server : servers) {
            Message response;
            try {
                SimpleResolver resolver = new SimpleResolver(server);
                resolver.setTimeout(timeout);
                response =
                        resolver.send(
                                Message.newQuery(Record.newRecord(qname, Type.TXT, DClass.IN)));
            } catch (IOException e) {
                lastFailure =
                        e instanceof SocketTimeoutException
                                        || String.valueOf(e.getMessage()).contains("imed out")
                                ? "timeout"
                                : "network error";
                LOG.debug("DKIM key query {} to {} failed: {}", key, server, e.toString());
                continue;
            }
            int rcode = response.getRcode();
            if (rcode == Rcode.NXDOMAIN) {
                return remember(key, KeyLookup.notFound("NXDOMAIN"), negativeTtl.toMillis(), now);
            }
            if (rcode != Rcode.NOERROR) {
                lastFailure = Rcode.string(rcode);
                continue;
            }
            List<String> records = new ArrayList<>();
            long ttl = Long.MAX_VALUE;
            for (Record r : response.getSection(Section.ANSWER)) {
                if (r instanceof TXTRecord) {
                    StringBuilder sb = new StringBuilder();
                    for (Object part : ((TXTRecord) r).getStringsAsByteArrays()) {
                        sb.append(new String((byte[]) part, StandardCharsets.ISO_8859_1));
                    }
                    records.add(sb.toString());
                    ttl = Math.min(ttl, r.getTTL());
                }
            }
            if (records.isEmpty()) {
                return remember(
                        key, KeyLookup.notFound("no TXT record"), negativeTtl.toMillis(), now);
            }
            long ttlMillis = Math.min(Duration.ofSeconds(ttl).toMillis(), maxTtl.toMillis());
            return remember(key, KeyLookup.found(records), ttlMillis, now);
        }
        return KeyLookup.temporaryFailure(lastFailure);
    }

    private KeyLookup remember(String key, KeyLookup lookup, long ttlMillis, long now) {
        if (ttlMillis > 0) {
            synchronized (cache) {
                cache.put(key, new CachedLookup(lookup, now + ttlMillis));
            }
        }
        return lookup;
    }

    /** Entries currently cached (expired ones included until looked up or evicted). */
    public int cachedNames() {
        synchronized (cache) {
            return cache.size();
        }
    }

    @Override
    public String toString() {
        return "DnsKeyRecordSource{servers=" + servers + ", timeout=" + timeout + "}";
    }

    /** Builder; each setter rejects a bad value with a message naming the knob. */
    public static final class Builder {
        private final List<InetSocketAddress> servers = new ArrayList<>();
        private Duration timeout = DEFAULT_TIMEOUT;
        private int cacheSize = DEFAULT_CACHE_SIZE;
        private Duration maxTtl = DEFAULT_MAX_TTL;
        private Duration negativeTtl = DEFAULT_NEGATIVE_TTL;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Adds a server; none means the system's resolvers (/etc/resolv.conf). */
        public Builder server(InetSocketAddress server) {
            servers.add(Objects.requireNonNull(server, "server"));
            return this;
        }

        /**
         * Parses {@code host[:port]} or {@code [v6]:port} entries separated by commas or spaces.
         */
        public Builder servers(String list) {
            for (InetSocketAddress server : DnsServers.parse(list)) {
                server(server);
            }
            return this;
        }

        public Builder timeout(Duration timeout) {
            if (timeout.isNegative()
                    || timeout.isZero()
                    || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException(
                        "dnsTimeout: must be between 1 ms and 1 minute, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public Builder cacheSize(int size) {
            if (size < 0 || size > 10_000_000) {
                throw new IllegalArgumentException(
                        "dnsCacheSize: must be between 0 and 10000000, got " + size);
            }
            this.cacheSize = size;
            return this;
        }

        public Builder maxTtl(Duration maxTtl) {
            if (maxTtl.isNegative()) {
                throw new IllegalArgumentException(
                        "dnsMaxTtl: must not be negative, got " + maxTtl);
            }
            this.maxTtl = maxTtl;
            return this;
        }

        public Builder negativeTtl(Duration negativeTtl) {
            if (negativeTtl.isNegative()) {
                throw new IllegalArgumentException(
                        "dnsNegativeTtl: must not be negative, got " + negativeTtl);
            }
            this.negativeTtl = negativeTtl;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public DnsKeyRecordSource build() {
            return new DnsKeyRecordSource(this);
        }
    }
}
