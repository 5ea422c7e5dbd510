package dev.mailsec.smime;

import java.util.Locale;

/**
 * The verification result, in the vocabulary of RFC 7281 section 3 (the {@code smime} method of RFC
 * 8601).
 */
public enum SmimeResult {
    /** The message is not signed. */
    NONE,
    /** Signature valid, chain trusted and not revoked, signer matches From:. */
    PASS,
    /** Signature or chain invalid, certificate revoked or not meant for signing. */
    FAIL,
    /** Signature valid but unacceptable here: signer does not match From:, or a weak digest. */
    POLICY,
    /** Signed in a way we cannot judge. */
    NEUTRAL,
    /** A transient fault (a CRL could not be fetched); retrying later may give a result. */
    TEMPERROR,
    /** A broken signature structure: no retry will help. */
    PERMERROR;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a keyword such as {@code pass}; throws naming the accepted values. */
    public static SmimeResult parse(String keyword) {
        for (SmimeResult r : values()) {
            if (r.keyword().equalsIgnoreCase(keyword.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException(
                "unknown S/MIME result '"
                        + keyword
                        + "', expected none, pass, fail, policy, neutral, temperror or permerror");
    }
}
