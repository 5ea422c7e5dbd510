package dev.mailsec.tls.connector;

import java.util.Locale;

/**
 * How an outbound connector uses TLS, named after Postfix's {@code smtp_tls_security_level} where
 * they agree.
 */
public enum OutboundTlsLevel {
    /**
     * STARTTLS when offered, any certificate; clear text when not offered (Postfix {@code may}).
     */
    OPPORTUNISTIC("opportunistic"),
    /** STARTTLS mandatory, any certificate (Postfix {@code encrypt}); never clear text. */
    REQUIRED("required"),
    /**
     * STARTTLS mandatory, chain valid against the trust store and the host name matches (Postfix
     * {@code verify}/{@code secure}).
     */
    VERIFY("verify"),
    /**
     * The recipient domain's MTA-STS policy (RFC 8461): in {@code enforce} mode only MX hosts the
     * policy lists, STARTTLS required, certificate trusted and issued for the MX host; otherwise
     * the connector's fallback level.
     */
    MTA_STS("mta-sts"),
    /**
     * DANE (RFC 7672): where the recipient domain's MX records and an MX host's TLSA records are
     * DNSSEC-signed, only such hosts, STARTTLS required, the certificate authenticated by the TLSA
     * records, never clear text and never another level; otherwise the connector's fallback level
     * (which may be {@code mta-sts}).
     */
    DANE("dane");

    private final String configName;

    OutboundTlsLevel(String configName) {
        this.configName = configName;
    }

    /** The name used in the connectors file. */
    public String configName() {
        return configName;
    }

    /**
     * True when the message must never travel in clear. For {@code mta-sts} and {@code dane} that
     * depends on the recipient domain's DNS and the fallback level, so it is false here.
     */
    public boolean encryptionMandatory() {
        return this == REQUIRED || this == VERIFY;
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
        throw new IllegalArgumentException(
                "expected opportunistic, required, verify, mta-sts or dane, got '" + trimmed + "'");
    }

    @Override
    public String toString() {
        return configName;
    }
}
