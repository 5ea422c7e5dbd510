package dev.mailsec.dkim;

import java.util.Locale;

/**
 * What to do with a valid signature whose {@code l=} tag leaves part of the body unsigned (RFC 6376
 * section 8.2: anyone can append content to such a message).
 */
public enum BodyLengthPolicy {
    /**
     * Report {@link DkimResult#POLICY}: the signature is valid but does not cover the whole body
     * (default).
     */
    POLICY,
    /** Report {@link DkimResult#PASS} although content after the signed length is unsigned. */
    ACCEPT;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BodyLengthPolicy fromKeyword(String keyword) {
        for (BodyLengthPolicy p : values()) {
            if (p.keyword().equalsIgnoreCase(keyword.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("must be 'policy' or 'accept', got '" + keyword + "'");
    }
}
