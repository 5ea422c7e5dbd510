package dev.mailsec.tls.connector;

import java.util.Locale;

/**
 * How an outbound connector uses TLS, named after Postfix's {@code smtp_tls_security_level} where they agree.
 */
public enum OutboundTlsLevel {
    /** STARTTLS when offered, any certificate; clear text when not offered (Postfix {@code may}). */
    OPPORTUNISTIC("opportunistic"),
    /** STARTTLS mandatory, any certificate (Postfix {@code encrypt}); never clear text. */
    REQUIRED("required"),
    /** STARTTLS mandatory, chain valid against the trust store and the host name matches (Postfix {@code verify}/{@code secure}). */
    VERIFY("verify");

    private final String configName;

    OutboundTlsLevel(String configName) {
        this.configName = configName;
    }

    /** The name used in the connectors file. */
    public String configName() {
        return configName;
    }

    /** True when the message must never travel in clear. */
    public boolean encryptionMandatory() {
        return this != OPPORTUNISTIC;
    }

    /**
     * Parses a level name, ignoring case.
     *
     * @throws IllegalArgumentException listing the accepted names
     */
    public static OutboundTlsLevel parse(String name) {
        String trimmed = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (OutboundTlsLevel level : values()) {
            if (level.configName.equals(trimmed)) {
                return level;
            }
        }
        if (trimmed.equals("mta-sts")) {
            throw new IllegalArgumentException("'mta-sts' is not supported by this version: RemoteDelivery cannot "
                + "check MX host names against a per-domain policy (see docs/adr/0005-tls-connectors-on-remote-delivery.md);"
                + " use opportunistic, required or verify");
        }
        throw new IllegalArgumentException("expected opportunistic, required or verify, got '" + trimmed + "'");
    }

    @Override
    public String toString() {
        return configName;
    }
}
