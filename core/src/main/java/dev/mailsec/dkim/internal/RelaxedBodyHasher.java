package dev.mailsec.dkim.internal;

import java.security.MessageDigest;

/**
 * RFC 6376 section 3.4.4: whitespace at line ends removed, runs of whitespace reduced to one space,
 * empty lines at the end removed, a non-empty body ends in CRLF, an empty body stays empty.
 */
final class RelaxedBodyHasher extends BodyHasher {

    private boolean pendingWsp;

    RelaxedBodyHasher(MessageDigest digest, long limit) {
        super(digest, limit);
    }

    @Override
    public void update(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (!cr && !pendingWsp && pendingCrlfs == 0) {
                // runs of unchanged input go to the digest as they are; whitespace runs inside a line and at
                // the end of a line with content are edited here; everything else takes the byte path
                int start = i;
                boolean open = lineOpen;
                while (i < end) {
                    if (i + 9 <= end) {
                        long x = Swar.get(b, i);
                        long next = Swar.get(b, i + 1);
                        // eight bytes unchanged: no control character, no space before a space or control
                        long problems = Swar.below(x, 0x20) | (Swar.eq(x, Swar.SPACES) & Swar.below(next, 0x21));
                        if (problems == 0) {
                            open = true;
                            i += 8;
                            continue;
                        }
                        // the bytes before the first problem are unchanged and hold content
                        int k = Long.numberOfTrailingZeros(problems) >>> 3;
                        if (k > 0) {
                            open = true;
                            i += k;
                        }
                    }
                    int c = b[i] & 0xFF;
                    if (c > ' ') {
                        open = true;
                        i++;
                    } else if (c == ' ' || c == '\t') {
                        int j = i + 1;
                        while (j < end && (b[j] == ' ' || b[j] == '\t')) {
                            j++;
                        }
                        if (j >= end) {
                            break; // decided by what the next piece brings
                        }
                        int d = b[j] & 0xFF;
                        if (d > ' ') {
                            // whitespace inside a line: one space
                            if (c == ' ' && j == i + 1) {
                                i = j;
                                continue;
                            }
                            if (c == ' ') {
                                emit(b, start, i + 1 - start);
                            } else {
                                emit(b, start, i - start);
                                emit(' ');
                            }
                            start = j;
                            i = j;
                        } else if (d == '\r' && open && j + 1 < end && b[j + 1] == '\n') {
                            // whitespace at the end of a line with content: dropped, the CRLF stays
                            emit(b, start, i - start);
                            start = j;
                            i = j + 2;
                            open = false;
                        } else {
                            break;
                        }
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
                pendingWsp = false;
                lineEnd();
                return;
            }
            content('\r'); // a CR not followed by LF is ordinary content
        }
        if (c == '\r') {
            cr = true;
        } else if (c == '\n') {
            pendingWsp = false;
            lineEnd();
        } else if (c == ' ' || c == '\t') {
            pendingWsp = true;
        } else {
            content(c);
        }
    }

    private void content(int c) {
        flushPendingLines();
        if (pendingWsp) {
            emit(' ');
            pendingWsp = false;
        }
        emit(c);
        lineOpen = true;
    }

    @Override
    protected void finishCanonicalisation() {
        if (cr) {
            cr = false;
            content('\r');
        }
        if (lineOpen) {
            emitCrlfs(1);
        }
    }
}
