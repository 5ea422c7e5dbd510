package dev.mailsec.smime.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;

/**
 * Base64 in 76-character CRLF lines (RFC 2045 section 6.8), encoded a block of whole lines at a
 * time: the JDK's {@code getMimeEncoder().wrap()} stream encodes line by line, which costs more than
 * the AES under it. No line break after the last line; closing flushes the rest but leaves the target open.
 */
public final class Base64LinesOutputStream extends OutputStream {

    private static final int LINE_BYTES = 57;
    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'});

    private final OutputStream out;
    private final byte[] buffer = new byte[LINE_BYTES * 256];
    private int count;
    private boolean wroteLines;
    private boolean closed;

    public Base64LinesOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buffer.length) {
            flushBlock();
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (count == buffer.length) {
                flushBlock();
            }
            int n = Math.min(len, buffer.length - count);
            System.arraycopy(b, off, buffer, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    private void flushBlock() throws IOException {
        if (count == 0) {
            return;
        }
        byte[] encoded = ENCODER.encode(count == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, count));
        if (wroteLines) {
            out.write('\r');
            out.write('\n');
        }
        out.write(encoded);
        wroteLines = true;
        count = 0;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            flushBlock();
            out.flush();
        }
    }
}
