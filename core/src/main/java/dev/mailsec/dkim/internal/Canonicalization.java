package dev.mailsec.dkim.internal;

/** The two canonicalisation algorithms of RFC 6376 section 3.4. */
public enum Canonicalization {
    SIMPLE,
    RELAXED;

    public static Canonicalization parse(String s) {
        if ("simple".equals(s)) {
            return SIMPLE;
        }
        if ("relaxed".equals(s)) {
            return RELAXED;
        }
        return null;
    }

    public String keyword() {
        return this == SIMPLE ? "simple" : "relaxed";
    }
}
