package dev.mailsec.dkim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The finished body hashes of one message, by (body canonicalisation, hash, l=): what a verifier
 * hands a later verifier of the same, unchanged body, so the body is hashed once per pipeline. At
 * most {@value #MAX} hashes are kept (a hostile message may ask for many distinct l= values; the
 * rest is hashed again where asked for). Immutable; holds no message content.
 */
public final class BodyHashes {
    /** Hashes kept per message at most. */
    public static final int MAX = 16;

    public static final BodyHashes NONE = new BodyHashes(Map.of());

    /** One finished body hash. */
    static final class Hash {
        final byte[] hash;
        final long canonicalLength;

        Hash(byte[] hash, long canonicalLength) {
            this.hash = hash.clone();
            this.canonicalLength = canonicalLength;
        }
    }

    private final Map<String, Hash> hashes;

    private BodyHashes(Map<String, Hash> hashes) {
        this.hashes = hashes;
    }

    static BodyHashes of(Map<String, Hash> hashes) {
        Map<String, Hash> kept = new LinkedHashMap<>();
        for (Map.Entry<String, Hash> e : hashes.entrySet()) {
            if (kept.size() < MAX) {
                kept.put(e.getKey(), e.getValue());
            }
        }
        return new BodyHashes(Collections.unmodifiableMap(kept));
    }

    Hash get(String key) {
        return hashes.get(key);
    }

    /** How many hashes are known. */
    public int size() {
        return hashes.size();
    }

    @Override
    public String toString() {
        return "BodyHashes" + hashes.keySet();
    }
}
