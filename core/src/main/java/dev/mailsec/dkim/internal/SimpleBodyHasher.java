package dev.mailsec.dkim.internal;

import java.security.MessageDigest;

/** RFC 6376 section 3.4.3: the body as is, minus empty lines at its end, ending in exactly one CRLF. */
final class SimpleBodyHasher extends BodyHasher {

    private long pendingCrlfs;
    private boolean cr;

    SimpleBodyHasher(MessageDigest digest, long limit) {
        super(digest, limit);
    }

    @Override
    protected void canonicalise(byte[] b, int off, int len) {
        byte[] out = this.out;
        int o = this.o;
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (c != '\r' && c != '\n' && !cr) {
                if (pendingCrlfs > 0) {
                    this.o = o;
                    writeCrlfs(pendingCrlfs);
                    pendingCrlfs = 0;
                    o = this.o;
                }
                out[o++] = c;
                continue;
            }
            if (c == '\n') {
                cr = false;
                pendingCrlfs++;
                continue;
            }
            // a CR that is not followed by LF is ordinary content
            if (cr) {
                if (pendingCrlfs > 0) {
                    this.o = o;
                    writeCrlfs(pendingCrlfs);
                    pendingCrlfs = 0;
                    o = this.o;
                }
                out[o++] = '\r';
            }
            if (c == '\r') {
                cr = true;
            } else {
                cr = false;
                out[o++] = c;
            }
        }
        this.o = o;
    }

    @Override
    protected void finishCanonicalisation() {
        if (cr) {
            writeCrlfs(pendingCrlfs);
            pendingCrlfs = 0;
            out[o++] = '\r';
            cr = false;
        }
        // trailing empty lines go; the last line ends with one CRLF; an empty body becomes one CRLF
        writeCrlfs(1);
    }
}
