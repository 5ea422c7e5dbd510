package dev.mailsec.dkim.internal;

import java.security.MessageDigest;

/**
 * Canonicalises a message body as it streams by (RFC 6376 section 3.4.3 / 3.4.4) and hashes the
 * result, up to an optional {@code l=} limit, with one pass over the bytes and no copy of the body.
 * A bare LF is taken as a line end (as if it were CRLF), so messages stored with Unix line endings
 * verify as they did on the wire. One instance per (canonicalisation, hash, l=) per message.
 */
public abstract class BodyHasher {

    /** Largest input slice processed between two output flushes. */
    static final int SLICE = 16 * 1024;

    private static final byte[] CRLF = {'\r', '\n'};

    protected final byte[] out = new byte[2 * SLICE + 64];
    protected int o;

    private final MessageDigest digest;
    private final long limit;
    private long total;
    private long hashed;
    private byte[] hash;

    protected BodyHasher(MessageDigest digest, long limit) {
        this.digest = digest;
        this.limit = limit;
    }

    /** A hasher for the given canonicalisation. {@code limit} is the l= value, or -1 for the whole body. */
    public static BodyHasher create(Canonicalization canon, MessageDigest digest, long limit) {
        return canon == Canonicalization.RELAXED ? new RelaxedBodyHasher(digest, limit) : new SimpleBodyHasher(digest, limit);
    }

    /** Feeds raw body bytes. */
    public final void update(byte[] b, int off, int len) {
        int end = off + len;
        while (off < end) {
            int n = Math.min(SLICE, end - off);
            canonicalise(b, off, n);
            flush();
            off += n;
        }
    }

    protected abstract void canonicalise(byte[] b, int off, int len);

    /** Ends the body: applies the end-of-body rules and returns the hash (the same array on every call). */
    public final byte[] finish() {
        if (hash == null) {
            finishCanonicalisation();
            flush();
            hash = digest.digest();
        }
        return hash;
    }

    protected abstract void finishCanonicalisation();

    /** Length of the canonical body (all of it, not only the signed part). */
    public final long canonicalLength() {
        return total;
    }

    /** True if l= was given and the canonical body is longer: content after it is unsigned. */
    public final boolean hasUnsignedContent() {
        return limit >= 0 && total > limit;
    }

    /** True if l= was given and exceeds the canonical body (RFC 6376 section 6.1.3: the signature cannot verify). */
    public final boolean limitExceedsBody() {
        return limit >= 0 && total < limit;
    }

    protected final void flush() {
        if (o == 0) {
            return;
        }
        total += o;
        if (limit < 0) {
            digest.update(out, 0, o);
        } else if (hashed < limit) {
            int k = (int) Math.min(o, limit - hashed);
            digest.update(out, 0, k);
            hashed += k;
        }
        o = 0;
    }

    /** Writes n CRLFs, flushing as needed (n can be large for a body of empty lines). */
    protected final void writeCrlfs(long n) {
        for (long i = 0; i < n; i++) {
            if (o > out.length - 2) {
                flush();
            }
            out[o++] = CRLF[0];
            out[o++] = CRLF[1];
        }
        if (o > out.length - 8) {
            flush();
        }
    }
}
