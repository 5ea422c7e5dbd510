package dev.mailsec.dkim;

import dev.mailsec.dkim.internal.BodyHasher;
import dev.mailsec.dkim.internal.Canonicalization;
import dev.mailsec.dkim.internal.SignatureTags;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body hashers of one message: one canonicalising hasher per distinct (body canonicalisation,
 * hash, l=), shared by the signatures that ask for the same, so the body streams through each only
 * once; a hash {@link BodyHashes known} already for the same body (a later verifier of the message,
 * e.g. ARC after DKIM in a mailet pipeline) is taken as it is. Not thread-safe: one per message.
 */
public final class BodyHashers {
    private final Map<String, BodyHasher> hashers = new LinkedHashMap<>();
    private final BodyHashes known;
    private final List<BodyHasher> live = new ArrayList<>();
    private BodyHasher[] array = new BodyHasher[0];

    public BodyHashers() {
        this(BodyHashes.NONE);
    }

    /**
     * Hashers that take what is {@code known} of the same body (from an earlier verifier of the
     * same message) instead of hashing it again.
     */
    public BodyHashers(BodyHashes known) {
        this.known = known;
    }

    /** The hasher a signature's body hash is checked with, created on first use. */
    BodyHasher forSignature(SignatureTags tags) {
        return forBody(tags.bodyCanon, tags.algorithm.jcaDigest, tags.length);
    }

    /**
     * The hasher for this body canonicalisation, JCA digest and l= (-1: the whole body), created on
     * first use; ARC's AMS asks here too.
     */
    public BodyHasher forBody(Canonicalization canon, String jcaDigest, long length) {
        String key = canon.keyword() + "/" + jcaDigest + "/" + length;
        BodyHasher hasher = hashers.get(key);
        if (hasher == null) {
            BodyHashes.Hash k = known.get(key);
            if (k != null) {
                hasher = BodyHasher.known(k.hash, k.canonicalLength, length);
                hashers.put(key, hasher);
            } else {
                hasher = BodyHasher.create(canon, digest(jcaDigest), length);
                hashers.put(key, hasher);
                live.add(hasher);
                array = live.toArray(new BodyHasher[0]);
            }
        }
        return hasher;
    }

    /** Whether no hasher waits for body bytes (none asked for, or all known). */
    public boolean isEmpty() {
        return array.length == 0;
    }

    /**
     * Ends the body for every hasher and returns their hashes, for a later verifier of the same
     * body ({@link #BodyHashers(BodyHashes)}); call once the whole body was fed.
     */
    public BodyHashes finish() {
        Map<String, BodyHashes.Hash> out = new LinkedHashMap<>();
        for (Map.Entry<String, BodyHasher> e : hashers.entrySet()) {
            BodyHasher h = e.getValue();
            out.put(e.getKey(), new BodyHashes.Hash(h.finish(), h.canonicalLength()));
        }
        return BodyHashes.of(out);
    }

    /** Feeds body bytes to every hasher. */
    public void update(byte[] b, int off, int len) {
        for (BodyHasher h : array) {
            h.update(b, off, len);
        }
    }

    public static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + name, e);
        }
    }
}
