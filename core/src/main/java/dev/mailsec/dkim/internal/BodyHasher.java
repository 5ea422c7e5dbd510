package dev.mailsec.dkim.internal;

import java.security.MessageDigest;

/**
 * Canonicalises a message body as it streams by (RFC 6376 section 3.4.3 / 3.4.4) and hashes the
 * result, up to an optional {@code l=} limit, in one pass and without copying: runs of input that
 * the canonicalisation leaves unchanged (nearly all of a normal body) go straight from the caller's
 * array into the digest; only the few changed places (whitespace runs, line ends, empty lines at
 * the end) go through a byte-by-byte state machine. A bare LF is taken as a line end (as if it were
 * CRLF), so messages stored with Unix line endings verify as they did on the wire. One instance per
 * (canonicalisation, hash, l=) per message.
 */
public abstract class BodyHasher {

    private static final byte[] CRLFS = new byte[1024];

    static {
        for (int i = 0; i < CRLFS.length; i += 2) {
            CRLFS[i] = '\r';
            CRLFS[i + 1] = '\n';
        }
    }

    /** Runs at least this long are hashed in place. */
    private static final int DIRECT = 2048;

    private final MessageDigest digest;

    /**
     * Canonical output not yet hashed; subclasses write to it directly, keeping 16 bytes of room.
     */
    protected final byte[] out = new byte[4 * 1024];

    protected int o;
    private final long limit;
    private long total;
    private long hashed;
    private byte[] hash;

    /** An empty line was seen and not yet written: it is dropped if only empty lines follow. */
    protected long pendingCrlfs;

    /** The current line has output (so its CRLF is written at once). */
    protected boolean lineOpen;

    /** The last byte was a CR whose LF has not been seen yet. */
    protected boolean cr;

    protected BodyHasher(MessageDigest digest, long limit) {
        this.digest = digest;
        this.limit = limit;
    }

    private BodyHasher(byte[] hash, long canonicalLength, long limit) {
        this(null, limit);
        this.hash = hash.clone();
        this.total = canonicalLength;
    }

    /**
     * A hasher already finished: the hash and canonical length another hasher of the same
     * (canonicalisation, hash, l=) gave for the same body. It takes no more bytes.
     */
    public static BodyHasher known(byte[] hash, long canonicalLength, long limit) {
        return new Known(hash, canonicalLength, limit);
    }

    private static final class Known extends BodyHasher {
        Known(byte[] hash, long canonicalLength, long limit) {
            super(hash, canonicalLength, limit);
        }

        @Override
        public void update(byte[] b, int off, int len) {}

        @Override
        protected void finishCanonicalisation() {}
    }

    /**
     * A hasher for the given canonicalisation. {@code limit} is the l= value, or -1 for the whole
     * body.
     */
    public static BodyHasher create(Canonicalization canon, MessageDigest digest, long limit) {
        return canon == Canonicalization.RELAXED
                ? new RelaxedBodyHasher(digest, limit)
                : new SimpleBodyHasher(digest, limit);
    }

    /** Feeds raw body bytes. */
    public abstract void update(byte[] b, int off, int len);

    /**
     * Ends the body: applies the end-of-body rules and returns the hash (the same array on every
     * call).
     */
    public final byte[] finish() {
        if (hash == null) {
            finishCanonicalisation();
            flush();
            hash = digest.digest();
        }
        return hash;
    }

    protected abstract void finishCanonicalisation();

    /** Length of the canonical body so far (all of it, not only the signed part). */
    public final long canonicalLength() {
        return total + o;
    }

    /** True if l= was given and the canonical body is longer: content after it is unsigned. */
    public final boolean hasUnsignedContent() {
        return limit >= 0 && canonicalLength() > limit;
    }

    /**
     * True if l= was given and exceeds the canonical body (RFC 6376 section 6.1.3: the signature
     * cannot verify).
     */
    public final boolean limitExceedsBody() {
        return limit >= 0 && canonicalLength() < limit;
    }

    /**
     * Appends canonical output. Short runs are gathered in a buffer (a MessageDigest.update call
     * costs more than copying a line); long runs go to the digest straight from the caller's array.
     */
    protected final void emit(byte[] src, int off, int len) {
        if (len <= 0) {
            return;
        }
        if (len >= DIRECT) {
            flush();
            total += len;
            hash(src, off, len);
            return;
        }
        if (len > out.length - o) {
            flush();
        }
        System.arraycopy(src, off, out, o, len);
        o += len;
    }

    protected final void emit(int b) {
        if (o == out.length) {
            flush();
        }
        out[o++] = (byte) b;
    }

    /** Hashes the buffered output. */
    protected final void flush() {
        total += o;
        hash(out, 0, o);
        o = 0;
    }

    private void hash(byte[] src, int off, int len) {
        if (limit < 0) {
            digest.update(src, off, len);
        } else if (hashed < limit) {
            int k = (int) Math.min(len, limit - hashed);
            digest.update(src, off, k);
            hashed += k;
        }
    }

    protected final void emitCrlfs(long n) {
        long bytes = 2 * n;
        while (bytes > 0) {
            int k = (int) Math.min(bytes, CRLFS.length);
            emit(CRLFS, 0, k);
            bytes -= k;
        }
    }

    /**
     * A line ends: its CRLF is written now if it had output, else it is an empty line, kept
     * pending.
     */
    protected final void lineEnd() {
        if (lineOpen) {
            emitCrlfs(1);
            lineOpen = false;
        } else {
            pendingCrlfs++;
        }
    }

    /** Writes the pending empty lines: content follows them. */
    protected final void flushPendingLines() {
        if (pendingCrlfs > 0) {
            emitCrlfs(pendingCrlfs);
            pendingCrlfs = 0;
        }
    }
}
