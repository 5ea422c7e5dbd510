package dev.mailsec.dkim.internal;

import java.security.MessageDigest;

/** RFC 6376 section 3.4.3: the body as is, minus empty lines at its end, ending in exactly one CRLF. */
final class SimpleBodyHasher extends BodyHasher {

    SimpleBodyHasher(MessageDigest digest, long limit) {
        super(digest, limit);
    }

    @Override
    public void update(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (!cr && pendingCrlfs == 0) {
                // unchanged run: anything but CR and LF, and CRLF ending a non-empty line
                int start = i;
                boolean open = lineOpen;
                while (i < end) {
                    if (i + 8 <= end) {
                        long x = Swar.get(b, i);
                        long problems = Swar.eq(x, Swar.CRS) | Swar.eq(x, Swar.LFS);
                        if (problems == 0) {
                            open = true;
                            i += 8;
                            continue;
                        }
                        int k = Long.numberOfTrailingZeros(problems) >>> 3;
                        if (k > 0) {
                            open = true;
                            i += k;
                        }
                    }
                    byte c = b[i];
                    if (c != '\r' && c != '\n') {
                        open = true;
                        i++;
                    } else if (c == '\r' && open && i + 1 < end && b[i + 1] == '\n') {
                        open = false;
                        i += 2;
                    } else {
                        break;
                    }
                }
                lineOpen = open;
                emit(b, start, i - start);
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
