package dev.mailsec.dkim;

import dev.mailsec.dkim.internal.BodyHasher;
import dev.mailsec.dkim.internal.Canonicalization;
import dev.mailsec.dkim.internal.SignatureTags;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body hashers of one message: one canonicalising hasher per distinct (body canonicalisation,
 * hash, l=), shared by the signatures that ask for the same, so the body streams through each only
 * once. Not thread-safe: one per message.
 */
public final class BodyHashers {
    private final Map<String, BodyHasher> hashers = new LinkedHashMap<>();
    private BodyHasher[] array = new BodyHasher[0];

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
            hasher = BodyHasher.create(canon, digest(jcaDigest), length);
            hashers.put(key, hasher);
            array = hashers.values().toArray(new BodyHasher[0]);
        }
        return hasher;
    }

    public boolean isEmpty() {
        return array.length == 0;
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
