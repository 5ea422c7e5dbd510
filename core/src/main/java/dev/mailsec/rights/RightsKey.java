package dev.mailsec.rights;

import java.security.Key;

/**
 * One version of a rights key with its JOSE key id {@code <secret>#<version>} (e.g. {@code
 * rights/content-key#3}). {@code toString()} shows the id only, never material.
 */
public final class RightsKey<K extends Key> {
    private final String kid;
    private final K key;

    public RightsKey(String kid, K key) {
        this.kid = kid;
        this.key = key;
    }

    public String kid() {
        return kid;
    }

    /** The key material: pass it to a JOSE operator only. */
    public K key() {
        return key;
    }

    @Override
    public String toString() {
        return "RightsKey[" + kid + ", material redacted]";
    }
}
