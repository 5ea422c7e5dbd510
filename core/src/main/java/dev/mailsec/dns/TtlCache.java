package dev.mailsec.dns;

import dev.mailsec.metrics.Metrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded LRU of answers, each kept until its own expiry; 0 entries means no cache. Thread-safe.
 * Shared by the DKIM key source and SPF's DNS.
 */
public final class TtlCache<V> {

    private final Map<String, Slot<V>> map;

    private static final class Slot<V> {
        final V value;
        final long expiresAtMillis;

        Slot(V value, long expiresAtMillis) {
            this.value = value;
            this.expiresAtMillis = expiresAtMillis;
        }
    }

    /**
     * @param maxEntries names kept, 0 for no cache
     */
    public TtlCache(int maxEntries) {
        this.map =
                new LinkedHashMap<String, Slot<V>>(256, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Slot<V>> eldest) {
                        return size() > maxEntries;
                    }
                };
    }

    /** The value cached for {@code key} if not expired at {@code nowMillis}, else null. */
    public V get(String key, long nowMillis) {
        V value = null;
        synchronized (map) {
            Slot<V> e = map.get(key);
            if (e != null) {
                if (e.expiresAtMillis > nowMillis) {
                    value = e.value;
                } else {
                    map.remove(key);
                }
            }
        }
        Metrics.global().dnsCache(value != null);
        return value;
    }

    /** Keeps {@code value} for {@code ttlMillis} from {@code nowMillis} (not if 0); returns it. */
    public V remember(String key, V value, long ttlMillis, long nowMillis) {
        if (ttlMillis > 0) {
            synchronized (map) {
                map.put(key, new Slot<>(value, nowMillis + ttlMillis));
            }
        }
        return value;
    }

    /** A record TTL in seconds as milliseconds, capped at {@code maxTtl}. */
    public static long capped(long ttlSeconds, Duration maxTtl) {
        return Math.min(Duration.ofSeconds(ttlSeconds).toMillis(), maxTtl.toMillis());
    }

    /** Entries currently cached (expired ones included until looked up or evicted). */
    public int size() {
        synchronized (map) {
            return map.size();
        }
    }
}
