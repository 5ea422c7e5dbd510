package dev.mailsec.dkim;

import java.util.Locale;

/** The verdict for one DKIM signature, in RFC 8601 section 2.7.1 vocabulary. */
public enum DkimResult {
    /** The signature verified and the local policy accepts it. */
    PASS,
    /** The signature or the body hash did not verify. */
    FAIL,
    /**
     * The signature could not be evaluated for another reason (e.g. a failing signature from a key
     * in testing mode).
     */
    NEUTRAL,
    /**
     * The signature is acceptable cryptographically but not to our policy (rsa-sha1, short key, l=,
     * expired).
     */
    POLICY,
    /**
     * A temporary failure, typically the key lookup in DNS timed out; retrying later may succeed.
     */
    TEMPERROR,
    /** A permanent error: malformed signature or key record, no key, revoked key. */
    PERMERROR,
    /** The message carries no DKIM signature. */
    NONE;

    /** The RFC 8601 keyword, e.g. {@code pass}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an RFC 8601 keyword (case-insensitive). */
    public static DkimResult fromKeyword(String keyword) {
        for (DkimResult r : values()) {
            if (r.keyword().equalsIgnoreCase(keyword.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("not a DKIM result: '" + keyword + "'");
    }
}
