package dev.mailsec.tls.report;

import java.util.Locale;
import java.util.Optional;

/** RFC 8460 section 4.3.2 {@code result-type}: why a session failed. */
public enum TlsResultType {
    // 4.3.2.1, negotiation failures
    STARTTLS_NOT_SUPPORTED,
    CERTIFICATE_HOST_MISMATCH,
    CERTIFICATE_EXPIRED,
    CERTIFICATE_NOT_TRUSTED,
    VALIDATION_FAILURE,
    // 4.3.2.2, policy failures: DANE
    TLSA_INVALID,
    DNSSEC_INVALID,
    DANE_REQUIRED,
    // 4.3.2.2, policy failures: MTA-STS
    STS_POLICY_FETCH_ERROR,
    STS_POLICY_INVALID,
    STS_WEBPKI_INVALID;

    /** The JSON value, e.g. {@code starttls-not-supported}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The type of a JSON value, if it is one. */
    public static Optional<TlsResultType> of(String value) {
        for (TlsResultType t : values()) {
            if (t.value().equals(value)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
