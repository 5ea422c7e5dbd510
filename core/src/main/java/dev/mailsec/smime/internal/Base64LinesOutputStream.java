package dev.mailsec.smime.internal;

import dev.mailsec.smime.SmimeBuffer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * Base64 in 76-character CRLF lines (RFC 2045 section 6.8), encoded a block of whole lines at a
 * time: the JDK's {@code getMimeEncoder().wrap()} stream encodes line by line, which costs more
 * than the AES under it. Even the MIME encoder on a whole block calls its (AVX-512) block encoder
 * once per 57-byte line (~0.35 ms per MB here); the basic encoder over the whole block and then
 * CRLF inserted every 76 characters takes a third of that. Output is byte for byte the MIME
 * encoder's. No line break after the last line; closing flushes the rest but leaves the target
 * open.
 */
public final class Base64LinesOutputStream extends OutputStream {

    private static final int LINE_BYTES = 57;
    private static final int LINE_CHARS = 76;
    private static final int BLOCK_LINES = 256;
    private static final Base64.Encoder ENCODER = Base64.getEncoder();

    private final OutputStream out;
    private final byte[] buffer = new byte[LINE_BYTES * BLOCK_LINES];

    /** The block in base64, one long line. */
    private final byte[] encoded = new byte[LINE_CHARS * BLOCK_LINES];

    /** The block in lines, with the CRLF that ends the previous block's last line in front. */
    private final byte[] lines = new byte[(LINE_CHARS + 2) * BLOCK_LINES + 2];

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
        int chars =
                ENCODER.encode(
                        count == buffer.length ? buffer : Arrays.copyOf(buffer, count), encoded);
        // lines go straight into an engine buffer given as the target, else into our block and then
        // out
        SmimeBuffer direct = out instanceof SmimeBuffer ? (SmimeBuffer) out : null;
        byte[] lines =
                direct == null ? this.lines : direct.reserve(chars + (chars / LINE_CHARS + 2) * 2);
        int start = direct == null ? 0 : direct.size();
        int o = start;
        if (wroteLines) {
            lines[o++] = '\r';
            lines[o++] = '\n';
        }
        for (int i = 0; i < chars; i += LINE_CHARS) {
            if (i > 0) {
                lines[o++] = '\r';
                lines[o++] = '\n';
            }
            int n = Math.min(LINE_CHARS, chars - i);
            System.arraycopy(encoded, i, lines, o, n);
            o += n;
        }
        if (direct == null) {
            out.write(lines, 0, o);
        } else {
            direct.advance(o - start);
        }
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
