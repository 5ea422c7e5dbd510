package dev.mailsec.dmarc;

import java.util.Locale;

/** The DMARC result keywords of RFC 8601 section 2.7.x / RFC 7489 section 11.2. */
public enum DmarcResult {
    PASS,
    FAIL,
    NONE,
    TEMPERROR,
    PERMERROR;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The result for a keyword, any case; IllegalArgumentException naming it otherwise. */
    public static DmarcResult fromKeyword(String keyword) {
        for (DmarcResult r : values()) {
            if (r.keyword().equalsIgnoreCase(keyword.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("not a DMARC result: '" + keyword + "'");
    }
}
