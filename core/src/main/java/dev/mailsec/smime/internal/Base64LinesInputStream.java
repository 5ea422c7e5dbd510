package dev.mailsec.smime.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes MIME base64 (line breaks and other non-alphabet bytes ignored, RFC 2045 section 6.8) in one
 * pass over 64 KiB blocks. Whole quanta of four alphabet bytes are decoded with one table lookup each
 * (the common case: everything but the line ends); a quantum with a line break, junk or padding in it
 * takes a byte-at-a-time path. The JDK's {@code Base64.getMimeDecoder().wrap()} pulls its source one
 * byte at a time, and filtering then decoding with the JDK's block decoder costs two passes (most of a
 * 1 MB CBC decryption, measured with JFR).
 *
 * <p>Input rules match the JDK's decoder: padding ends the data (alphabet bytes after it are an error),
 * a final quantum of two or three bytes without padding is accepted, a single left-over byte is not.
 */
public final class Base64LinesInputStream extends InputStream {

    private static final int SKIP = -1;
    private static final int PAD = -2;
    private static final int[] DECODE = new int[256];

    static {
        java.util.Arrays.fill(DECODE, SKIP);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            DECODE[alphabet.charAt(i)] = i;
        }
        DECODE['='] = PAD;
    }

    private final InputStream source;
    private final byte[] raw = new byte[64 * 1024];
    private final byte[] decoded = new byte[raw.length / 4 * 3 + 3];
    private int position;
    private int limit;
    private boolean eof;
    /** Sextets of the quantum in progress across a line break or block boundary. */
    private int accumulator;
    private int pending;
    private boolean padded;

    public Base64LinesInputStream(InputStream source) {
        this.source = source;
    }

    @Override
    public int read() throws IOException {
        while (position >= limit) {
            if (!fill()) {
                return -1;
            }
        }
        return decoded[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (position >= limit) {
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(decoded, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return limit - position;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        position = 0;
        limit = 0;
        int n = source.read(raw, 0, raw.length);
        if (n < 0) {
            eof = true;
            finish();
            return limit > 0;
        }
        decode(n);
        return true;
    }

    private void decode(int n) throws IOException {
        final byte[] r = raw;
        final byte[] d = decoded;
        final int[] table = DECODE;
        int i = 0;
        int o = 0;
        while (i < n) {
            if (pending == 0 && !padded) {
                int end = n - 3;
                while (i < end) {
                    int v = table[r[i] & 0xff] << 18 | table[r[i + 1] & 0xff] << 12
                        | table[r[i + 2] & 0xff] << 6 | table[r[i + 3] & 0xff];
                    if (v < 0) {
                        break;
                    }
                    d[o] = (byte) (v >> 16);
                    d[o + 1] = (byte) (v >> 8);
                    d[o + 2] = (byte) v;
                    o += 3;
                    i += 4;
                }
                if (i >= n) {
                    break;
                }
            }
            int s = table[r[i++] & 0xff];
            if (s >= 0) {
                if (padded) {
                    throw new IOException("invalid base64: data after the padding");
                }
                accumulator = accumulator << 6 | s;
                if (++pending == 4) {
                    d[o] = (byte) (accumulator >> 16);
                    d[o + 1] = (byte) (accumulator >> 8);
                    d[o + 2] = (byte) accumulator;
                    o += 3;
                    pending = 0;
                    accumulator = 0;
                }
            } else if (s == PAD && !padded) {
                o = endQuantum(o, "padding");
                padded = true;
            }
        }
        limit = o;
    }

    private void finish() throws IOException {
        if (!padded) {
            limit = endQuantum(0, "end of data");
        }
    }

    /** Writes the bytes of a quantum cut short by padding or the end of the data. */
    private int endQuantum(int o, String cause) throws IOException {
        switch (pending) {
            case 0:
                if ("padding".equals(cause)) {
                    throw new IOException("invalid base64: padding at the start of a quantum");
                }
                return o;
            case 2:
                decoded[o] = (byte) (accumulator >> 4);
                o += 1;
                break;
            case 3:
                decoded[o] = (byte) (accumulator >> 10);
                decoded[o + 1] = (byte) (accumulator >> 2);
                o += 2;
                break;
            default:
                throw new IOException("invalid base64: a single sextet before the " + cause);
        }
        pending = 0;
        accumulator = 0;
        return o;
    }
}
