package dev.mailsec.dkim.internal;

import java.security.MessageDigest;

/**
 * RFC 6376 section 3.4.4: whitespace at line ends removed, runs of whitespace reduced to one space,
 * empty lines at the end removed, a non-empty body ends in CRLF, an empty body stays empty.
 */
final class RelaxedBodyHasher extends BodyHasher {

    private long pendingCrlfs;
    private boolean pendingWsp;
    private boolean cr;
    private boolean lineOpen;
    private boolean anyContent;

    RelaxedBodyHasher(MessageDigest digest, long limit) {
        super(digest, limit);
    }

    @Override
    protected void canonicalise(byte[] b, int off, int len) {
        byte[] out = this.out;
        int o = this.o;
        boolean open = lineOpen;
        int end = off + len;
        for (int i = off; i < end; i++) {
            int c = b[i] & 0xFF;
            if (c > ' ' && !cr && !pendingWsp && pendingCrlfs == 0) {
                out[o++] = (byte) c;
                open = true;
                continue;
            }
            if (cr) {
                cr = false;
                if (c == '\n') {
                    anyContent |= open;
                    open = false;
                    pendingWsp = false;
                    pendingCrlfs++;
                    continue;
                }
                this.o = o;
                content('\r');
                o = this.o;
                open = true;
            }
            if (c == '\r') {
                cr = true;
            } else if (c == '\n') {
                anyContent |= open;
                open = false;
                pendingWsp = false;
                pendingCrlfs++;
            } else if (c == ' ' || c == '\t') {
                pendingWsp = true;
            } else {
                this.o = o;
                content(c);
                o = this.o;
                open = true;
            }
        }
        this.o = o;
        this.lineOpen = open;
    }

    private void content(int c) {
        if (pendingCrlfs > 0) {
            writeCrlfs(pendingCrlfs);
            pendingCrlfs = 0;
        }
        if (pendingWsp) {
            out[o++] = ' ';
            pendingWsp = false;
        }
        out[o++] = (byte) c;
        lineOpen = true;
    }

    @Override
    protected void finishCanonicalisation() {
        if (cr) {
            cr = false;
            content('\r');
        }
        anyContent |= lineOpen;
        if (lineOpen || (anyContent && pendingCrlfs > 0)) {
            writeCrlfs(1);
        }
    }
}
