package dev.mailsec.smime.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** Small stream helpers shared by the S/MIME engine. */
public final class Streams {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * How much goes to a cipher or digest per call. 16 KiB: large enough that per-call cost
     * vanishes, small enough that the JIT sees enough calls to compile the JDK's GHASH/AES
     * intrinsics soon (a few 1 MB calls leave them interpreted: 65 MB/s instead of over 1 GB/s for
     * GCM, measured here).
     */
    public static final int CHUNK = 16 * 1024;

    private Streams() {}

    /** An output stream whose close() flushes but leaves the target open. */
    public static OutputStream nonClosing(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    /**
     * Base64 in 76-character CRLF lines (RFC 2045 section 6.8); closing it does not close {@code
     * out}.
     */
    public static OutputStream base64Lines(OutputStream out) {
        return new Base64LinesOutputStream(out);
    }

    public static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[CHUNK];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
        }
    }

    /**
     * Writes {@code b[0, length)} in {@link #CHUNK}-sized writes: a digest or cipher given a whole
     * message in one call runs it through code that has not been compiled with the CPU intrinsics
     * yet.
     */
    public static void writeChunked(OutputStream out, byte[] b, int length) throws IOException {
        for (int off = 0; off < length; off += CHUNK) {
            out.write(b, off, Math.min(CHUNK, length - off));
        }
    }

    public static void ascii(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A boundary that cannot occur in base64 text and is unlikely anywhere else (120 random bits).
     */
    public static String newBoundary() {
        byte[] r = new byte[15];
        RANDOM.nextBytes(r);
        return "----=_mailsec_"
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(r)
                        .replace('-', 'A')
                        .replace('_', 'B');
    }
}
