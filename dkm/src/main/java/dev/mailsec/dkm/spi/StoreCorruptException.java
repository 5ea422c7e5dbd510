package dev.mailsec.dkm.spi;

import dev.mailsec.dkm.DkmUnavailableException;

/**
 * A backend found its own data unreadable (a shard file with a bad header or a torn record): an
 * integrity failure, not an outage. It extends {@link DkmUnavailableException} only so that {@link
 * Storage}'s signatures stay as they are; the key manager reports it as {@code
 * DkmIntegrityException}, which the mailets hold mail for (never "retry forever" silently, never
 * delivered without the key's work).
 */
public class StoreCorruptException extends DkmUnavailableException {
    private static final long serialVersionUID = 1L;

    public StoreCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
