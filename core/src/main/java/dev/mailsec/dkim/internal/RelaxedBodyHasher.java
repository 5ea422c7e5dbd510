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
        byte[] out = this.out;
        int room = out.length - 16;
        while (i < end) {
            if (!cr && !pendingWsp && pendingCrlfs == 0) {
                // Output is written straight into the buffer: unchanged text eight bytes at a time,
                // whitespace runs inside a line as one space, whitespace at the end of a line with
                // content dropped; anything else (empty lines, bare CR or LF, a piece ending in
                // whitespace or CR) takes the byte path.
                boolean open = lineOpen;
                int o = this.o;
                while (i < end) {
                    if (o > room) {
                        this.o = o;
                        flush();
                        o = 0;
                    }
                    int lineStart = i;
                    // i and o advance together here (o by no more than i), so one bound covers both
                    // the
                    // input end and the room
                    int stop = Math.min(end - 16, i + room - o);
                    while (i <= stop) {
                        long x = Swar.get(b, i);
                        long problems =
                                Swar.below(x, 0x20)
                                        | (Swar.eq(x, Swar.SPACES)
                                                & Swar.below(Swar.get(b, i + 1), 0x21));
                        Swar.LONG.set(out, o, x);
                        if (problems == 0) {
                            o += 8;
                            i += 8;
                            continue;
                        }
                        int k = Long.numberOfTrailingZeros(problems) >>> 3;
                        o += k;
                        i += k;
                        // The usual problem: a line end, after trailing whitespace or not. Handled
                        // here
                        // (whitespace dropped, CRLF written) without leaving the loop (i + 16 <=
                        // end held before).
                        long y = Swar.get(b, i);
                        int n =
                                Long.numberOfTrailingZeros(
                                                ~(Swar.eq(y, Swar.SPACES) | Swar.eq(y, Swar.TABS))
                                                        & Swar.HIGH)
                                        >>> 3;
                        if (n < 7
                                && (open || i > lineStart)
                                && ((y >>> (n << 3)) & 0xFFFF) == 0x0A0D) {
                            out[o] = '\r';
                            out[o + 1] = '\n';
                            o += 2;
                            i += n + 2;
                            open = false;
                            lineStart = i;
                            continue;
                        }
                        break;
                    }
                    if (i > lineStart) {
                        open = true; // unchanged bytes before a problem always include a visible
                        // one
                    }
                    if (i >= end || o > room) {
                        continue;
                    }
                    int c = b[i] & 0xFF;
                    if (c > ' ') {
                        out[o++] = (byte) c;
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
                            out[o++] = ' ';
                            i = j;
                        } else if (d == '\r' && open && j + 1 < end && b[j + 1] == '\n') {
                            out[o++] = '\r';
                            out[o++] = '\n';
                            i = j + 2;
                            open = false;
                        } else {
                            break;
                        }
                    } else if (c == '\r' && open && i + 1 < end && b[i + 1] == '\n') {
                        out[o++] = '\r';
                        out[o++] = '\n';
                        i += 2;
                        open = false;
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
