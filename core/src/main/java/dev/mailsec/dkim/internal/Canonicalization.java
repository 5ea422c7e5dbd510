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

    /**
     * A c= tag's value ({@code header[/body]}, absent means simple/simple) as {header, body}, or
     * null when either algorithm is unknown. Shared by DKIM-Signature and ARC-Message-Signature.
     */
    public static Canonicalization[] parseTag(String c) {
        if (c == null) {
            return new Canonicalization[] {SIMPLE, SIMPLE};
        }
        int slash = c.indexOf('/');
        Canonicalization header = parse(slash < 0 ? c : c.substring(0, slash));
        Canonicalization body = slash < 0 ? SIMPLE : parse(c.substring(slash + 1));
        if (header == null || body == null) {
            return null;
        }
        return new Canonicalization[] {header, body};
    }

    public String keyword() {
        return this == SIMPLE ? "simple" : "relaxed";
    }
}
