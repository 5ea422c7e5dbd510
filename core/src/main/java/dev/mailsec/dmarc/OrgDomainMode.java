package dev.mailsec.dmarc;

import java.util.Locale;

/** How the organizational domain is found. */
public enum OrgDomainMode {
    /**
     * RFC 7489 section 3.2: the Public Suffix List Guava 31.1 bundles (the one James 3.8.1 ships);
     * no DNS query.
     */
    PSL,
    /** DMARCbis section 4.10: the DNS tree walk over {@code _dmarc} records (psd= tag). */
    TREEWALK;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OrgDomainMode fromKeyword(String keyword) {
        for (OrgDomainMode m : values()) {
            if (m.keyword().equalsIgnoreCase(keyword.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("must be psl or treewalk, got '" + keyword + "'");
    }
}
