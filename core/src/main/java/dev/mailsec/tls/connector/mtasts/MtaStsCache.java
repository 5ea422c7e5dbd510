package dev.mailsec.tls.connector.mtasts;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MTA-STS policies by recipient domain with the TXT record id they were fetched for and when they
 * expire ({@code max_age}, RFC 8461 section 5.1). Thread-safe. {@link #shared()} is the one cache
 * of a JVM, used by all of James's MTA-STS steps so a domain's policy is fetched once per {@code
 * id}.
 */
public final class MtaStsCache {

    private static final MtaStsCache SHARED = new MtaStsCache();

    /** One cached policy. */
    public static final class Entry {
        private final MtaStsPolicy policy;
        private final String id;
        private final Instant expires;

        public Entry(MtaStsPolicy policy, String id, Instant expires) {
            this.policy = policy;
            this.id = id;
            this.expires = expires;
        }

        public MtaStsPolicy policy() {
            return policy;
        }

        public String id() {
            return id;
        }

        public Instant expires() {
            return expires;
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** The JVM's shared cache. */
    public static MtaStsCache shared() {
        return SHARED;
    }

    /** The entry for {@code domain}, expired or not; callers check {@link Entry#expires()}. */
    public Optional<Entry> get(String domain) {
        return Optional.ofNullable(entries.get(domain.toLowerCase(Locale.ROOT)));
    }

    void put(String domain, Entry entry) {
        entries.put(domain.toLowerCase(Locale.ROOT), entry);
    }
}
