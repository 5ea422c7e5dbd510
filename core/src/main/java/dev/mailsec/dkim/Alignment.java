package dev.mailsec.dkim;

import com.google.common.net.InternetDomainName;
import java.util.Locale;

/**
 * DMARC identifier alignment (RFC 7489 section 3.1.1) of a DKIM signing domain with the {@code
 * From:} domain. The organizational domain comes from the Public Suffix List that Guava bundles
 * ({@link InternetDomainName}; Guava 31.1 ships with James 3.8.1, see docs/adr/0004).
 */
public enum Alignment {
    /** {@code d=} equals the From domain: aligned in strict and relaxed mode. */
    STRICT,
    /** Same organizational domain, different names: aligned in relaxed mode only. */
    RELAXED,
    /** Not aligned, or not a passing signature. */
    NONE;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Alignment fromKeyword(String keyword) {
        for (Alignment a : values()) {
            if (a.keyword().equalsIgnoreCase(keyword.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("not an alignment: '" + keyword + "'");
    }

    /** True if this alignment satisfies the given mode ({@code strict} or {@code relaxed}). */
    public boolean satisfies(Alignment mode) {
        if (mode == STRICT) {
            return this == STRICT;
        }
        return this == STRICT || this == RELAXED;
    }

    /** Alignment of two domain names (null or invalid names never align). */
    public static Alignment of(String signingDomain, String fromDomain) {
        if (signingDomain == null
                || fromDomain == null
                || signingDomain.isEmpty()
                || fromDomain.isEmpty()) {
            return NONE;
        }
        String d = normalise(signingDomain);
        String f = normalise(fromDomain);
        if (d.equals(f)) {
            return STRICT;
        }
        String orgD = organizationalDomain(d);
        String orgF = organizationalDomain(f);
        return orgD != null && orgD.equals(orgF) ? RELAXED : NONE;
    }

    /**
     * The organizational domain (RFC 7489 section 3.2): the public suffix plus one label. A name
     * under no listed suffix is treated with the PSL's implicit {@code *} rule (last two labels).
     * Returns null for a name that is not a valid domain name.
     */
    public static String organizationalDomain(String domain) {
        String d = normalise(domain);
        InternetDomainName name;
        try {
            name = InternetDomainName.from(d);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (name.isUnderPublicSuffix()) {
            return name.topPrivateDomain().toString();
        }
        if (name.isPublicSuffix()) {
            return name.toString();
        }
        int n = name.parts().size();
        return n <= 2 ? name.toString() : String.join(".", name.parts().subList(n - 2, n));
    }

    private static String normalise(String domain) {
        String d = domain.trim().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }
}
