package dev.mailsec.dkim;

import dev.mailsec.dns.DnsQuestion;
import dev.mailsec.dns.DnsServers;
import dev.mailsec.dns.TtlCache;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
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
    private final Duration maxTtl;
    private final Duration negativeTtl;
    private final Clock clock;
    private final TtlCache<KeyLookup> cache;

    private DnsKeyRecordSource(Builder b) {
        this.servers = DnsQuestion.serversOrSystem(b.servers);
        this.timeout = b.timeout;
        this.maxTtl = b.maxTtl;
        this.negativeTtl = b.negativeTtl;
        this.clock = b.clock;
        this.cache = new TtlCache<>(b.cacheSize);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The servers asked, in order. */
    public List<InetSocketAddress> servers() {
        return servers;
    }

    @Override
    public KeyLookup lookup(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        long now = clock.millis();
        KeyLookup cached = cache.get(key, now);
        if (cached != null) {
            return cached;
        }
        Name qname;
        try {
            qname = Name.fromString(key.endsWith(".") ? key : key + ".");
        } catch (TextParseException e) {
            return KeyLookup.notFound("invalid name");
        }
        DnsQuestion.Outcome outcome =
                DnsQuestion.ask(
                        servers,
                        timeout,
                        qname,
                        Type.TXT,
                        (server, e) ->
                                LOG.debug(
                                        "DKIM key query {} to {} failed: {}",
                                        key,
                                        server,
                                        e.toString()));
        if (outcome.nxdomain()) {
            return cache.remember(key, KeyLookup.notFound("NXDOMAIN"), negativeTtl.toMillis(), now);
        }
        if (outcome.response() == null) {
            return KeyLookup.temporaryFailure(outcome.failure());
        }
        List<String> records = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record r : outcome.response().getSection(Section.ANSWER)) {
            if (r instanceof TXTRecord) {
                records.add(DnsQuestion.text((TXTRecord) r));
                ttl = Math.min(ttl, r.getTTL());
            }
        }
        if (records.isEmpty()) {
            return cache.remember(
                    key, KeyLookup.notFound("no TXT record"), negativeTtl.toMillis(), now);
        }
        return cache.remember(key, KeyLookup.found(records), TtlCache.capped(ttl, maxTtl), now);
    }

    /** Entries currently cached (expired ones included until looked up or evicted). */
    public int cachedNames() {
        return cache.size();
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
