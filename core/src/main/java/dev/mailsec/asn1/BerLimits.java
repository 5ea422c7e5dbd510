package dev.mailsec.asn1;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Bounds on BER/DER input (ITU-T X.690) taken from mail, checked before a parser sees it. Bouncy
 * Castle (1.80, relocated in shaded-bc) recurses once per nested constructed element and has no
 * nesting limit: {@code 30 80} repeated 20,000 times (55 KB, indefinite lengths) overflows the
 * thread's stack in its {@code IndefiniteLengthInputStream}, and a {@code StackOverflowError} kills
 * the James spooler thread that met it. So every CMS structure, certificate or key we read from a
 * message or a DNS record goes through here first, as a whole array ({@link #check}) or as a stream
 * that checks the bytes passing through it ({@link #stream}). Checked, in one pass, with no
 * recursion and constant memory:
 *
 * <ul>
 *   <li>nesting: at most {@link #MAX_DEPTH} open constructed elements (a real S/MIME message with
 *       its certificate chain uses about 12);
 *   <li>declared lengths: a definite length must fit in its enclosing definite element and in the
 *       input (a huge declared length would otherwise make a parser allocate that much before
 *       reading);
 *   <li>well-formed headers: no indefinite length on a primitive element, tag numbers and length
 *       fields of at most a few bytes.
 * </ul>
 *
 * Only the first top-level element is checked (the one a parser reads); bytes after it pass
 * unchecked. Content inside primitive elements (an OCTET STRING carrying DER of its own) is not
 * looked into: parse such content through {@link #check} again where it comes from outside.
 */
public final class BerLimits {

    /** Open constructed elements allowed at once. */
    public static final int MAX_DEPTH = 64;

    private static final int TAG = 0;
    private static final int TAG_MORE = 1;
    private static final int LENGTH = 2;
    private static final int LENGTH_MORE = 3;
    private static final int CONTENT = 4;
    private static final int DONE = 5;
    private static final long INDEFINITE = -1;

    private final long maxLength;
    private final long[] ends = new long[MAX_DEPTH];
    private int depth;
    private long position;
    private int state = TAG;
    private int tagBytes;
    private boolean constructed;
    private boolean endOfContents;
    private int lengthBytes;
    private long length;
    private long contentLeft;

    private BerLimits(long maxLength) {
        this.maxLength = maxLength;
    }

    /** Checks the first element of {@code der}; its declared lengths must fit in the array. */
    public static void check(byte[] der) throws BerLimitException {
        BerLimits limits = new BerLimits(der.length);
        limits.feed(der, 0, der.length);
    }

    /**
     * A stream that passes {@code in} through and throws {@link BerLimitException} from {@code
     * read} as soon as the bytes read break a limit.
     *
     * @param maxLength an upper bound on the bytes {@code in} can give (its length when known),
     *     which no declared length may exceed
     */
    public static InputStream stream(InputStream in, long maxLength) {
        return new Checked(in, new BerLimits(maxLength));
    }

    private void feed(byte[] b, int off, int len) throws BerLimitException {
        int i = off;
        int end = off + len;
        while (i < end && state != DONE) {
            if (state == CONTENT) {
                int n = (int) Math.min(contentLeft, end - i);
                position += n;
                contentLeft -= n;
                i += n;
                if (contentLeft == 0) {
                    elementDone();
                }
                continue;
            }
            position++;
            next(b[i++] & 0xff);
        }
    }

    private void next(int b) throws BerLimitException {
        switch (state) {
            case TAG:
                constructed = (b & 0x20) != 0;
                endOfContents = b == 0;
                tagBytes = 1;
                state = (b & 0x1f) == 0x1f ? TAG_MORE : LENGTH;
                break;
            case TAG_MORE:
                if (++tagBytes > 6) {
                    throw fail("tag number longer than 5 bytes");
                }
                if ((b & 0x80) == 0) {
                    state = LENGTH;
                }
                break;
            case LENGTH:
                if (b == 0x80) {
                    if (!constructed) {
                        throw fail("indefinite length on a primitive element");
                    }
                    open(INDEFINITE);
                } else if ((b & 0x80) == 0) {
                    length = b;
                    headerDone();
                } else {
                    lengthBytes = b & 0x7f;
                    if (lengthBytes > 8) {
                        throw fail("length field of " + lengthBytes + " bytes");
                    }
                    length = 0;
                    state = LENGTH_MORE;
                }
                break;
            case LENGTH_MORE:
                length = (length << 8) | b;
                if (length > maxLength) {
                    throw fail("declared length beyond the " + maxLength + "-byte input");
                }
                if (--lengthBytes == 0) {
                    headerDone();
                }
                break;
            default:
                throw new IllegalStateException("state " + state);
        }
    }

    private void headerDone() throws BerLimitException {
        long end = position + length;
        if (end > bound()) {
            throw fail("declared length " + length + " beyond its enclosing element or the input");
        }
        if (endOfContents && length == 0 && depth > 0 && ends[depth - 1] == INDEFINITE) {
            depth--;
            elementDone();
        } else if (constructed) {
            open(end);
        } else if (length == 0) {
            elementDone();
        } else {
            contentLeft = length;
            state = CONTENT;
        }
    }

    /** The end of the innermost definite element around the current one, or the input's bound. */
    private long bound() {
        for (int d = depth - 1; d >= 0; d--) {
            if (ends[d] != INDEFINITE) {
                return ends[d];
            }
        }
        return maxLength;
    }

    private void open(long end) throws BerLimitException {
        if (depth == MAX_DEPTH) {
            throw fail("nested deeper than " + MAX_DEPTH + " levels");
        }
        ends[depth++] = end;
        state = TAG;
        closeFinished();
    }

    private void elementDone() {
        state = TAG;
        closeFinished();
    }

    /**
     * Closes the definite elements that end here; the input is checked once its first element
     * closed.
     */
    private void closeFinished() {
        while (depth > 0 && ends[depth - 1] == position) {
            depth--;
        }
        if (depth == 0) {
            state = DONE;
        }
    }

    private BerLimitException fail(String what) {
        return new BerLimitException("ASN.1 input refused at byte " + position + ": " + what);
    }

    /**
     * Checks what passes; reads only forward, so that every byte is seen once (buffer above it to
     * mark).
     */
    private static final class Checked extends FilterInputStream {

        private final BerLimits limits;
        private final byte[] one = new byte[1];

        Checked(InputStream in, BerLimits limits) {
            super(in);
            this.limits = limits;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                one[0] = (byte) b;
                limits.feed(one, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                limits.feed(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public synchronized void mark(int readlimit) {
            // not supported: a reset would show the checker bytes twice
        }

        @Override
        public synchronized void reset() throws IOException {
            throw new IOException("mark/reset not supported");
        }
    }
}
