package dev.mailsec.smime;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers what peers announced in the SMIMECapabilities of messages that verified, so that mail
 * back to them can use AES-256-GCM and RSA-OAEP (RFC 8551 section 2.7.1: "the sending agent SHOULD
 * use the capabilities of the last signed message received"). Bounded (least recently used goes
 * first), in memory, shared by the mailets of one server through {@link #shared()}.
 */
public final class PeerCapabilityCache {

    private static final PeerCapabilityCache SHARED = new PeerCapabilityCache(100_000);

    private final Map<String, PeerCapabilities> entries;

    public PeerCapabilityCache(int capacity) {
        this.entries =
                new LinkedHashMap<String, PeerCapabilities>(64, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(
                            Map.Entry<String, PeerCapabilities> eldest) {
                        return size() > capacity;
                    }
                };
    }

    public static PeerCapabilityCache shared() {
        return SHARED;
    }

    public synchronized void remember(String address, PeerCapabilities capabilities) {
        entries.put(address.trim().toLowerCase(Locale.ROOT), capabilities);
    }

    public synchronized Optional<PeerCapabilities> lookup(String address) {
        return Optional.ofNullable(entries.get(address.trim().toLowerCase(Locale.ROOT)));
    }
}
