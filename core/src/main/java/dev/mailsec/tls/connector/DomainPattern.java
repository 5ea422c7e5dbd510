package dev.mailsec.tls.connector;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * A domain a connector covers: {@code partner.test} (that domain only), {@code *.partner.test} (its
 * subdomains, not the domain itself, as in Exchange connectors and Postfix's {@code .partner.test}) or
 * {@code *} (every domain). Compared in lower-case ASCII (IDNA), without a trailing dot.
 */
public final class DomainPattern {

    private final String text;
    private final String domain;
    private final boolean subdomains;
    private final boolean any;

    private DomainPattern(String text, String domain, boolean subdomains, boolean any) {
        this.text = text;
        this.domain = domain;
        this.subdomains = subdomains;
        this.any = any;
    }

    /**
     * Parses an operator's pattern.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static DomainPattern parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.equals("*")) {
            return new DomainPattern("*", "", false, true);
        }
        boolean subdomains = trimmed.startsWith("*.");
        String domain = normalize(subdomains ? trimmed.substring(2) : trimmed)
            .orElseThrow(() -> new IllegalArgumentException(
                "expected a domain name, '*.' followed by one, or '*', got '" + trimmed + "'"));
        return new DomainPattern(subdomains ? "*." + domain : domain, domain, subdomains, false);
    }

    /**
     * The lower-case ASCII form of a domain name, or empty when {@code value} is not a syntactically valid
     * host name (RFC 1123 labels of at most 63 characters, at most 253 in total).
     */
    public static Optional<String> normalize(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String candidate = value.trim();
        if (candidate.endsWith(".")) {
            candidate = candidate.substring(0, candidate.length() - 1);
        }
        if (candidate.isEmpty() || candidate.length() > 253) {
            return Optional.empty();
        }
        String ascii = candidate.toLowerCase(Locale.ROOT);
        if (!isLowerCaseAscii(ascii)) {
            // IDNA is slow; only names with non-ASCII characters need it
            try {
                ascii = IDN.toASCII(candidate, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException notAHostName) {
                return Optional.empty();
            }
        }
        int start = 0;
        while (start <= ascii.length()) {
            int dot = ascii.indexOf('.', start);
            int end = dot < 0 ? ascii.length() : dot;
            if (!isLabel(ascii, start, end)) {
                return Optional.empty();
            }
            start = end + 1;
            if (dot < 0) {
                break;
            }
        }
        return Optional.of(ascii);
    }

    private static boolean isLowerCaseAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    /** RFC 1123 label: 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen. */
    private static boolean isLabel(String name, int start, int end) {
        int length = end - start;
        if (length < 1 || length > 63 || name.charAt(start) == '-' || name.charAt(end - 1) == '-') {
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

    /** True when {@code candidate} (any case, IDN or ASCII, trailing dot allowed) is covered by this pattern. */
    public boolean matches(String candidate) {
        return normalize(candidate).map(this::matchesNormalized).orElse(false);
    }

    /** As {@link #matches(String)} for a name already in {@link #normalize(String)}'s form (no re-parsing). */
    public boolean matchesNormalized(String name) {
        if (any) {
            return true;
        }
        if (subdomains) {
            return name.length() > domain.length() + 1 && name.endsWith(domain)
                && name.charAt(name.length() - domain.length() - 1) == '.';
        }
        return name.equals(domain);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DomainPattern && text.equals(((DomainPattern) other).text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The pattern as it is matched, e.g. {@code *.partner.test}. */
    @Override
    public String toString() {
        return text;
    }
}
