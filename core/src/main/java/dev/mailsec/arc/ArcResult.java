package dev.mailsec.arc;

import java.util.Locale;

/** The ARC chain validation status of a message (RFC 8617 section 4.4): pass, fail or none. */
public enum ArcResult {
    PASS,
    FAIL,
    NONE;

    /** The RFC keyword: {@code pass}, {@code fail}, {@code none} (also the cv= value). */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The result named by a keyword (case-insensitive), or null. */
    public static ArcResult fromKeyword(String keyword) {
        for (ArcResult r : values()) {
            if (r.keyword().equalsIgnoreCase(keyword)) {
                return r;
            }
        }
        return null;
    }
}
