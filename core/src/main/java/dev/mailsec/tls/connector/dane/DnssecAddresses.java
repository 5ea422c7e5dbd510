package dev.mailsec.tls.connector.dane;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The address records (A and AAAA) of an MX host with their DNSSEC status, and the name they were
 * found at after following CNAMEs (RFC 7672 sections 2.2.2 and 2.2.3): DANE applies to a host only
 * when its addresses are secure, and then the TLSA records are looked up first at the fully
 * CNAME-expanded name. Immutable.
 */
public final class DnssecAddresses {

    private final DnssecStatus status;
    private final String host;
    private final String expandedName;
    private final List<String> addresses;
    private final String reason;

    private DnssecAddresses(
            DnssecStatus status,
            String host,
            String expandedName,
            List<String> addresses,
            String reason) {
        this.status = status;
        this.host = host;
        this.expandedName = expandedName;
        this.addresses = Collections.unmodifiableList(new ArrayList<>(addresses));
        this.reason = reason;
    }

    /**
     * Secure (every RRset of both answers, CNAMEs included, validated) or insecure address records
     * of {@code host}, found at {@code expandedName} ({@code host} itself when it is no alias).
     */
    public static DnssecAddresses of(
            DnssecStatus status, String host, String expandedName, List<String> addresses) {
        return new DnssecAddresses(status, host, expandedName, addresses, "");
    }

    /** A bogus or failed address lookup. */
    public static DnssecAddresses failed(DnssecStatus status, String host, String reason) {
        return new DnssecAddresses(status, host, host, Collections.emptyList(), reason);
    }

    /**
     * What lookups that do not look addresses up report (the default of {@link
     * DnssecLookups#addresses(String)}, e.g. unit tests' fakes): secure, no alias, so DANE decides
     * by the TLSA records alone, as before address checks existed.
     */
    public static DnssecAddresses notChecked(String host) {
        return new DnssecAddresses(
                DnssecStatus.SECURE, host, host, Collections.emptyList(), "not checked");
    }

    public DnssecStatus status() {
        return status;
    }

    /** The MX host name asked for. */
    public String host() {
        return host;
    }

    /** Where the CNAME chain of {@link #host()} ends; {@code host()} when it is no alias. */
    public String expandedName() {
        return expandedName;
    }

    /** True when the host is an alias (a CNAME chain to {@link #expandedName()}). */
    public boolean aliased() {
        return !expandedName.equalsIgnoreCase(host);
    }

    /** The addresses, IPv4 then IPv6, as text. */
    public List<String> addresses() {
        return addresses;
    }

    /** Why a bogus or failed lookup could not be used; empty otherwise. */
    public String reason() {
        return reason;
    }

    /** True when the status is secure or insecure. */
    public boolean usable() {
        return status == DnssecStatus.SECURE || status == DnssecStatus.INSECURE;
    }

    @Override
    public String toString() {
        return host
                + (aliased() ? " -> " + expandedName : "")
                + ": "
                + status
                + (reason.isEmpty() ? "" : " (" + reason + ")")
                + " "
                + addresses;
    }
}
