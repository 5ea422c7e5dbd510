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

    private final String tlsaBase;
    private final String note;

    DaneHost(String host, Mode mode, List<TlsaRecord> records, String reason) {
        this(host, mode, records, reason, host, "");
    }

    DaneHost(
            String host,
            Mode mode,
            List<TlsaRecord> records,
            String reason,
            String tlsaBase,
            String note) {
        this.host = host;
        this.mode = mode;
        this.records = Collections.unmodifiableList(new ArrayList<>(records));
        this.reason = reason;
        this.tlsaBase = tlsaBase;
        this.note = note;
    }

    /**
     * The TLSA base domain the records came from (RFC 7672 section 2.2.3): the CNAME-expanded name
     * of an aliased host when it had TLSA records, else the host name itself.
     */
    public String tlsaBase() {
        return tlsaBase;
    }

    /**
     * The reference names for DANE-TA(2) name checks besides the recipient domain (RFC 7672 section
     * 3.2.2): the MX host name and, when the TLSA records came from its CNAME-expanded name, that
     * name too.
     */
    public List<String> referenceNames() {
        return tlsaBase.equalsIgnoreCase(host) ? List.of(host) : List.of(host, tlsaBase);
    }

    /** Why DANE does not apply to a host it could otherwise apply to; empty when none. */
    public String note() {
        return note;
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
                        + (tlsaBase.equalsIgnoreCase(host) ? "" : " (alias of " + tlsaBase + ")")
                        + ": TLS required, authenticated by "
                        + records.size()
                        + " TLSA record"
                        + (records.size() == 1 ? "" : "s");
            case ENCRYPTED:
                return host + ": TLS required, no usable TLSA record (certificate not checked)";
            case NO_TLSA:
                return host
                        + (note.isEmpty() ? ": no TLSA record" : ": DANE not used (" + note + ")");
            default:
                return host + ": not used (" + reason + ")";
        }
    }
}
