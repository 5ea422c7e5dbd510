package dev.mailsec.tls.connector;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * A name a client certificate must carry: a subject alternative name written as {@code
 * DNS:mx.partner.test}, {@code EMAIL:postmaster@partner.test}, {@code URI:...} or {@code IP:...}
 * (the forms of {@link dev.mailsec.tls.SubjectAltNames}), or a whole subject distinguished name
 * ({@code CN=mx.partner.test,O=Partner}), compared in the canonical form of RFC 2253 (so case and
 * spacing do not matter).
 */
public final class CertificateName {

    private static final List<String> SAN_TYPES = List.of("DNS", "EMAIL", "URI", "IP");

    private final String text;
    private final Optional<String> sanType;
    private final String value;
    private final Optional<X500Principal> subject;

    private CertificateName(
            String text, Optional<String> sanType, String value, Optional<X500Principal> subject) {
        this.text = text;
        this.sanType = sanType;
        this.value = value;
        this.subject = subject;
    }

    /**
     * Parses {@code TYPE:value} or a distinguished name.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static CertificateName parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int colon = trimmed.indexOf(':');
        int equals = trimmed.indexOf('=');
        if (colon > 0 && (equals < 0 || colon < equals)) {
            String type = trimmed.substring(0, colon).toUpperCase(Locale.ROOT);
            String value = trimmed.substring(colon + 1).trim();
            if (!SAN_TYPES.contains(type) || value.isEmpty()) {
                throw new IllegalArgumentException(
                        "expected DNS:, EMAIL:, URI: or IP: followed by a value, or a "
                                + "distinguished name such as CN=mx.example,O=Example, got '"
                                + trimmed
                                + "'");
            }
            return new CertificateName(
                    type + ":" + value, Optional.of(type), value, Optional.empty());
        }
        try {
            X500Principal principal = new X500Principal(trimmed);
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            return new CertificateName(
                    principal.getName(X500Principal.RFC2253),
                    Optional.empty(),
                    "",
                    Optional.of(principal));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "expected DNS:, EMAIL:, URI: or IP: followed by a value, or a "
                            + "distinguished name such as CN=mx.example,O=Example, got '"
                            + trimmed
                            + "'",
                    e);
        }
    }

    /**
     * True when the certificate with this RFC 2253 subject and these {@code TYPE:value} alternative
     * names carries this name. DNS and e-mail names compare without regard to case; others exactly.
     */
    public boolean matches(Optional<String> peerSubject, List<String> peerSubjectAltNames) {
        if (subject.isPresent()) {
            if (peerSubject.isEmpty()) {
                return false;
            }
            try {
                return subject.get().equals(new X500Principal(peerSubject.get()));
            } catch (IllegalArgumentException unparsableSubject) {
                return false;
            }
        }
        String type = sanType.orElse("");
        boolean ignoreCase = type.equals("DNS") || type.equals("EMAIL");
        for (String name : peerSubjectAltNames) {
            int colon = name.indexOf(':');
            if (colon < 0 || !name.substring(0, colon).equals(type)) {
                continue;
            }
            String candidate = name.substring(colon + 1);
            if (ignoreCase ? candidate.equalsIgnoreCase(value) : candidate.equals(value)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CertificateName && text.equals(((CertificateName) other).text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
