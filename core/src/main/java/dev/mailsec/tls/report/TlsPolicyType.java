package dev.mailsec.tls.report;

import java.util.Locale;
import java.util.Optional;

/** RFC 8460 section 4.3 {@code policy-type}: what policy a session was delivered under. */
public enum TlsPolicyType {
    /** An MTA-STS policy (RFC 8461). */
    STS,
    /** DANE TLSA records (RFC 7672); recorded by the DANE delivery. */
    TLSA,
    /** Neither: opportunistic delivery or a connector's own TLS level. */
    NO_POLICY_FOUND;

    /** The JSON value: {@code sts}, {@code tlsa}, {@code no-policy-found}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The type of a JSON value, if it is one. */
    public static Optional<TlsPolicyType> of(String value) {
        for (TlsPolicyType t : values()) {
            if (t.value().equals(value)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
