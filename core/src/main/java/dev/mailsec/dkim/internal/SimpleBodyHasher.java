package dev.mailsec.dkim.internal;

import java.security.MessageDigest;

/**
 * RFC 6376 section 3.4.3: the body as is, minus empty lines at its end, ending in exactly one CRLF.
 */
final class SimpleBodyHasher extends BodyHasher {

    SimpleBodyHasher(MessageDigest digest, long limit) {
        super(digest, limit);
    }

    @Override
    public void update(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        byte[] out = this.out;
        int room = out.length - 16;
        while (i < end) {
            if (!cr && pendingCrlfs == 0) {
                // unchanged: anything but CR and LF, and CRLF ending a non-empty line
                boolean open = lineOpen;
                int o = this.o;
                while (i < end) {
                    if (o > room) {
                        this.o = o;
                        flush();
                        o = 0;
                    }
                    int sprint = i;
                    while (i + 8 <= end && o <= room) {
                        long x = Swar.get(b, i);
                        long problems = Swar.eq(x, Swar.CRS) | Swar.eq(x, Swar.LFS);
                        Swar.LONG.set(out, o, x);
                        if (problems != 0) {
                            int k = Long.numberOfTrailingZeros(problems) >>> 3;
                            o += k;
                            i += k;
                            break;
                        }
                        o += 8;
                        i += 8;
                    }
                    if (i > sprint) {
                        open = true;
                    }
                    if (i >= end || o > room) {
                        continue;
                    }
                    byte c = b[i];
                    if (c != '\r' && c != '\n') {
                        out[o++] = c;
                        open = true;
                        i++;
                    } else if (c == '\r' && open && i + 1 < end && b[i + 1] == '\n') {
                        out[o++] = '\r';
                        out[o++] = '\n';
                        open = false;
                        i += 2;
                    } else {
                        break;
                    }
                }
                this.o = o;
                lineOpen = open;
                if (i >= end) {
                    return;
                }
            }
            slow(b[i++] & 0xFF);
        }
    }

    private void slow(int c) {
        if (cr) {
            cr = false;
            if (c == '\n') {
                lineEnd();
                return;
            }
            content('\r'); // a CR not followed by LF is ordinary content
        }
        if (c == '\r') {
            cr = true;
        } else if (c == '\n') {
            lineEnd();
        } else {
            content(c);
        }
    }

    private void content(int c) {
        flushPendingLines();
        emit(c);
        lineOpen = true;
    }

    @Override
    protected void finishCanonicalisation() {
        if (cr) {
            cr = false;
            content('\r');
        }
        // the last line ends with one CRLF; trailing empty lines go; an empty body becomes one CRLF
        if (lineOpen || canonicalLength() == 0) {
            emitCrlfs(1);
        }
    }
}
