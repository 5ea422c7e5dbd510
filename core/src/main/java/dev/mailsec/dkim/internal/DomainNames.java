package dev.mailsec.dkim.internal;

import java.util.Locale;

/** Syntax checks for the names DKIM puts into DNS queries and headers. */
public final class DomainNames {

    private DomainNames() {
    }

    /**
     * True if {@code s} is a dot-separated list of LDH labels (RFC 6376 {@code domain-name} /
     * {@code selector}: each label 1-63 letters, digits and inner hyphens), at most 253 chars.
     */
    public static boolean isValid(String s) {
        if (s == null || s.isEmpty() || s.length() > 253) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                int len = i - labelStart;
                if (len < 1 || len > 63 || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
                continue;
            }
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Lower case, without a trailing dot. */
    public static String normalise(String s) {
        String d = s.toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    /** True if {@code sub} equals {@code parent} or is a subdomain of it (both normalised). */
    public static boolean isSameOrSubdomain(String sub, String parent) {
        return sub.equals(parent) || sub.endsWith("." + parent);
    }
}
