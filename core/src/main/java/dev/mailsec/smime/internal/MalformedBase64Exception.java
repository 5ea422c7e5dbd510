package dev.mailsec.smime.internal;

import java.io.IOException;

/**
 * Base64 that {@link Base64LinesInputStream} refuses: a fault of the data, not of the stream under
 * it, so callers can answer it as a broken message (S/MIME {@code CORRUPT}) rather than an I/O
 * failure.
 */
public final class MalformedBase64Exception extends IOException {
    private static final long serialVersionUID = 1L;

    public MalformedBase64Exception(String message) {
        super(message);
    }
}
