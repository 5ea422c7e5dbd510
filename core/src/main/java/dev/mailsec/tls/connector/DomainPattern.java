package dev.mailsec.tls.connector;

import dev.mailsec.mail.DomainName;
import dev.mailsec.mail.DomainName.Option;
import java.util.Optional;

/**
 * A domain a connector covers: {@code partner.test} (that domain only), {@code *.partner.test} (its
 * subdomains, not the domain itself, as in Exchange connectors and Postfix's {@code .partner.test})
 * or {@code *} (every domain). Compared in lower-case ASCII (IDNA), without a trailing dot.
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
        String domain =
                normalize(subdomains ? trimmed.substring(2) : trimmed)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "expected a domain name, '*.' followed by one, or '*', got '"
                                                        + trimmed
                                                        + "'"));
        return new DomainPattern(subdomains ? "*." + domain : domain, domain, subdomains, false);
    }

    /**
     * The lower-case ASCII form of a domain name, or empty when {@code value} is not a
     * syntactically valid host name (RFC 1123 labels of at most 63 characters, at most 253 in
     * total).
     */
    public static Optional<String> normalize(String value) {
        return DomainName.normalize(value, Option.TRIM, Option.TRAILING_DOT, Option.IDN);
    }

    /**
     * True when {@code candidate} (any case, IDN or ASCII, trailing dot allowed) is covered by this
     * pattern.
     */
    public boolean matches(String candidate) {
        return normalize(candidate).map(this::matchesNormalized).orElse(false);
    }

    /**
     * As {@link #matches(String)} for a name already in {@link #normalize(String)}'s form (no
     * re-parsing).
     */
    public boolean matchesNormalized(String name) {
        if (any) {
            return true;
        }
        if (subdomains) {
            return name.length() > domain.length() + 1
                    && name.endsWith(domain)
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
