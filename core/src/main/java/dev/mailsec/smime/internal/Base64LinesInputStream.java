package dev.mailsec.smime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;

/**
 * Decodes MIME base64 (line breaks and other non-alphabet bytes ignored, RFC 2045 section 6.8) in
 * blocks. The JDK's {@code Base64.getMimeDecoder().wrap()} pulls its source one byte at a time,
 * which costs more than AES on a large message; this reads 64 KiB at a time and decodes whole
 * quanta with the JDK's block decoder.
 */
public final class Base64LinesInputStream extends InputStream {

    private static final boolean[] ALPHABET = new boolean[256];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            ALPHABET[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            ALPHABET[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            ALPHABET[c] = true;
        }
        ALPHABET['+'] = true;
        ALPHABET['/'] = true;
        ALPHABET['='] = true;
    }

    private final InputStream source;
    private final byte[] raw = new byte[64 * 1024];
    private final byte[] clean = new byte[64 * 1024 + 4];
    private int cleanLength;
    private byte[] decoded = new byte[0];
    private int position;
    private int limit;
    private boolean eof;

    public Base64LinesInputStream(InputStream source) {
        this.source = source;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
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

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = source.read(raw, 0, raw.length - 4);
        if (n < 0) {
            eof = true;
            if (cleanLength == 0) {
                return false;
            }
            // a truncated final quantum: let the JDK decoder reject or pad it as RFC 4648 allows
            decodeAll(cleanLength);
            cleanLength = 0;
            return limit > 0;
        }
        for (int i = 0; i < n; i++) {
            byte c = raw[i];
            if (ALPHABET[c & 0xff]) {
                clean[cleanLength++] = c;
            }
        }
        int whole = cleanLength - cleanLength % 4;
        decodeAll(whole);
        System.arraycopy(clean, whole, clean, 0, cleanLength - whole);
        cleanLength -= whole;
        return true;
    }

    private void decodeAll(int length) throws IOException {
        int max = length / 4 * 3 + 3;
        if (decoded.length < max) {
            decoded = new byte[max];
        }
        try {
            byte[] src = length == clean.length ? clean : java.util.Arrays.copyOf(clean, length);
            // only alphabet bytes are left, so the strict decoder applies (the MIME one rescans for line breaks)
            limit = Base64.getDecoder().decode(src, decoded);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid base64: " + e.getMessage(), e);
        }
        position = 0;
    }
}
