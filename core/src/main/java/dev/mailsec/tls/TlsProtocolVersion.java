package dev.mailsec.tls;

import java.util.Optional;

/**
 * The SSL/TLS protocol versions mailsec can compare, oldest first, so that the natural order of the
 * constants is the order of the versions: {@code SSLv3 < TLSv1 < TLSv1.1 < TLSv1.2 < TLSv1.3}.
 */
public enum TlsProtocolVersion {
    SSL_V3("SSLv3"),
    TLS_V1("TLSv1"),
    TLS_V1_1("TLSv1.1"),
    TLS_V1_2("TLSv1.2"),
    TLS_V1_3("TLSv1.3");

    private final String jsseName;

    TlsProtocolVersion(String jsseName) {
        this.jsseName = jsseName;
    }

    /**
     * The name JSSE uses for this version ({@code SSLSession.getProtocol()}), e.g. {@code TLSv1.2}.
     */
    public String jsseName() {
        return jsseName;
    }

    /** True when this version is the same as, or newer than, {@code minimum}. */
    public boolean isAtLeast(TlsProtocolVersion minimum) {
        return compareTo(minimum) >= 0;
    }

    /**
     * The version whose JSSE name is {@code name} (exact, case-sensitive, as JSSE reports it), or
     * empty for anything else, including {@code null}, {@code NONE} and DTLS versions.
     */
    public static Optional<TlsProtocolVersion> fromJsseName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (TlsProtocolVersion version : values()) {
            if (version.jsseName.equals(name)) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses an operator-supplied version name, e.g. a matcher condition, ignoring surrounding
     * blanks.
     *
     * @throws IllegalArgumentException naming the value and the accepted names when it is not one
     */
    public static TlsProtocolVersion parse(String name) {
        String trimmed = name == null ? "" : name.trim();
        return fromJsseName(trimmed)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "expected one of "
                                                + acceptedNames()
                                                + ", got '"
                                                + trimmed
                                                + "'"));
    }

    private static String acceptedNames() {
        StringBuilder names = new StringBuilder();
        for (TlsProtocolVersion version : values()) {
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(version.jsseName);
        }
        return names.toString();
    }

    @Override
    public String toString() {
        return jsseName;
    }
}
