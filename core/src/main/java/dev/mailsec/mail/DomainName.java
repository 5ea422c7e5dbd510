package dev.mailsec.mail;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one domain-name rule of the pack: a name is a dot-separated list of RFC 1123 labels (1 to 63
 * letters, digits and inner hyphens), at most 253 characters in all, compared in lower case. What a
 * call site accepts around that rule (surrounding spaces, a trailing dot, internationalised names,
 * a single label) is a named {@link Option}, so that every site keeps the set of names it accepted
 * before the rule was shared.
 */
public final class DomainName {

    /**
     * Longest domain name in its textual form without the trailing dot (RFC 1035 section 2.3.4).
     */
    public static final int MAX_LENGTH = 253;

    /** Longest label (RFC 1035 section 2.3.4). */
    public static final int MAX_LABEL_LENGTH = 63;

    /** What a call site accepts beyond a plain ASCII name. */
    public enum Option {
        /** Leading and trailing white space is removed first. */
        TRIM,
        /** One trailing dot (the DNS root) is accepted and removed. */
        TRAILING_DOT,
        /**
         * A name with non-ASCII characters is converted to its ASCII (punycode) form, STD3 rules.
         */
        IDN,
        /** At least two labels: a bare {@code localhost} or {@code com} is refused. */
        MULTI_LABEL
    }

    private DomainName() {}

    /**
     * The lower-case ASCII form of {@code value}, or empty when it is not a domain name under the
     * rule and the given options.
     */
    public static Optional<String> normalize(String value, Option... options) {
        if (value == null) {
            return Optional.empty();
        }
        Set<Option> with = options.length == 0 ? Set.of() : Set.of(options);
        String candidate = with.contains(Option.TRIM) ? value.trim() : value;
        if (with.contains(Option.TRAILING_DOT) && candidate.endsWith(".")) {
            candidate = candidate.substring(0, candidate.length() - 1);
        }
        if (candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String ascii = candidate.toLowerCase(Locale.ROOT);
        if (!isAscii(candidate)) {
            // checked before lower-casing, which maps e.g. the Kelvin sign to an ASCII 'k'
            if (!with.contains(Option.IDN)) {
                return Optional.empty();
            }
            // IDNA is slow; only names with non-ASCII characters need it
            try {
                ascii = IDN.toASCII(candidate, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException notAHostName) {
                return Optional.empty();
            }
            if (ascii.isEmpty() || ascii.length() > MAX_LENGTH) {
                return Optional.empty();
            }
        }
        int labels = 0;
        int start = 0;
        while (true) {
            int dot = ascii.indexOf('.', start);
            int end = dot < 0 ? ascii.length() : dot;
            if (!isLabel(ascii, start, end)) {
                return Optional.empty();
            }
            labels++;
            if (dot < 0) {
                break;
            }
            start = end + 1;
        }
        if (with.contains(Option.MULTI_LABEL) && labels < 2) {
            return Optional.empty();
        }
        return Optional.of(ascii);
    }

    /**
     * True if {@code value}, exactly as given (any case, no options), is a domain name under the
     * rule.
     */
    public static boolean isValid(String value) {
        return normalize(value).isPresent();
    }

    /** True if {@code sub} equals {@code parent} or is a subdomain of it (both normalised). */
    public static boolean isSameOrSubdomain(String sub, String parent) {
        return sub.equals(parent) || sub.endsWith("." + parent);
    }

    private static boolean isAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 1123 label: 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen.
     */
    private static boolean isLabel(String name, int start, int end) {
        int length = end - start;
        if (length < 1
                || length > MAX_LABEL_LENGTH
                || name.charAt(start) == '-'
                || name.charAt(end - 1) == '-') {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
