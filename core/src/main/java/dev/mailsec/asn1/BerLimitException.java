package dev.mailsec.asn1;

import java.io.IOException;
import java.util.Optional;

/**
 * An ASN.1 input went past a {@link BerLimits} bound: nested too deep, or a declared length beyond
 * the input or its enclosing element. An {@link IOException} so that it can leave a stream that a
 * parser reads; callers turn it into their verdict ({@code permerror}, {@code CORRUPT}). The
 * message names the limit and the offset, never content.
 */
public final class BerLimitException extends IOException {

    private static final long serialVersionUID = 1L;

    BerLimitException(String message) {
        super(message);
    }

    /**
     * The first {@link BerLimitException} in {@code t}'s cause chain, if any: parsers wrap what
     * their stream throws.
     */
    public static Optional<BerLimitException> in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof BerLimitException) {
                return Optional.of((BerLimitException) c);
            }
        }
        return Optional.empty();
    }
}
