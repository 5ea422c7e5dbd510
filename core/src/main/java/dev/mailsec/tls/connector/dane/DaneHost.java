package dev.mailsec.tls.connector.dane;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What DANE says about one MX host of a domain whose MX records are secure (RFC 7672 section 2.2).
 * Immutable.
 */
public final class DaneHost {

    /** How mail may go to the host. */
    public enum Mode {
        /** Secure TLSA records, at least one usable: TLS required, authenticated by them. */
        AUTHENTICATED,
        /**
         * Secure TLSA records, none usable: TLS required, certificate not checked (RFC 7672 section
         * 2.2).
         */
        ENCRYPTED,
        /** No TLSA records (securely denied) or an insecure answer: DANE does not apply. */
        NO_TLSA,
        /** Bogus or failed TLSA lookup: the host must not be used (RFC 7672 section 2.2). */
        UNUSABLE
    }

    private final String host;
    private final Mode mode;
    private final List<TlsaRecord> records;
    private final String reason;

    DaneHost(String host, Mode mode, List<TlsaRecord> records, String reason) {
        this.host = host;
        this.mode = mode;
        this.records = Collections.unmodifiableList(new ArrayList<>(records));
        this.reason = reason;
    }

    public String host() {
        return host;
    }

    public Mode mode() {
        return mode;
    }

    /** The host's TLSA records (all of them, usable or not). */
    public List<TlsaRecord> records() {
        return records;
    }

    /** Why the host is unusable; empty otherwise. */
    public String reason() {
        return reason;
    }

    /** True when mail to the host needs TLS whatever the connector's fallback. */
    public boolean tlsMandatory() {
        return mode == Mode.AUTHENTICATED || mode == Mode.ENCRYPTED;
    }

    @Override
    public String toString() {
        switch (mode) {
            case AUTHENTICATED:
                return host
                        + ": TLS required, authenticated by "
                        + records.size()
                        + " TLSA record"
                        + (records.size() == 1 ? "" : "s");
            case ENCRYPTED:
                return host + ": TLS required, no usable TLSA record (certificate not checked)";
            case NO_TLSA:
                return host + ": no TLSA record";
            default:
                return host + ": not used (" + reason + ")";
        }
    }
}
