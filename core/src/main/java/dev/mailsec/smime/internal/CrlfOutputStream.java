package dev.mailsec.smime.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes bare LF as CRLF: the canonical form of RFC 5751 section 3.1.1, which is what gets signed
 * and what goes on the wire. CRLF already present passes through unchanged.
 */
public final class CrlfOutputStream extends FilterOutputStream {

    private int last = -1;

    public CrlfOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (b == '\n' && last != '\r') {
            out.write('\r');
        }
        out.write(b);
        last = b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        int end = off + len;
        int i = off;
        while ((i = ByteScan.indexOf(b, i, end, (byte) '\n')) >= 0) {
            int prev = i > off ? b[i - 1] : last;
            if (prev != '\r') {
                out.write(b, start, i - start);
                out.write('\r');
                start = i;
            }
            i++;
        }
        out.write(b, start, end - start);
        if (len > 0) {
            last = b[end - 1];
        }
    }

    /** Whether the last byte written was a line end, so a caller can add one before a delimiter. */
    public boolean endsWithLineBreak() {
        return last == '\n';
    }
}
