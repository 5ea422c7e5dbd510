package dev.mailsec.dmarc;

import java.util.Locale;

/** A DMARC policy (the p, sp and np tags) or a disposition: none, quarantine, reject. */
public enum DmarcPolicy {
    NONE,
    QUARANTINE,
    REJECT;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy one step milder (RFC 7489 section 6.6.4, pct sampling; DMARCbis t=y). */
    public DmarcPolicy milder() {
        return this == REJECT ? QUARANTINE : NONE;
    }

    /** The policy for a keyword, any case; IllegalArgumentException naming it otherwise. */
    public static DmarcPolicy fromKeyword(String keyword) {
        for (DmarcPolicy p : values()) {
            if (p.keyword().equalsIgnoreCase(keyword.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("not a DMARC policy: '" + keyword + "'");
    }
}
