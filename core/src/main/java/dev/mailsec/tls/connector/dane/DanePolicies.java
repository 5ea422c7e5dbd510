package dev.mailsec.tls.connector.dane;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Makes a domain's {@link DanePolicy} from DNSSEC-aware lookups (RFC 7672 section 2.2): secure MX
 * records, then for each MX host secure address records (section 2.2.2) and its TLSA records, at
 * the CNAME-expanded name first when the host is an alias (section 2.2.3). Answers come from the
 * lookups' cache while their TTL lasts, so a decision for a domain seen recently costs no DNS
 * traffic. Thread-safe when the lookups are.
 */
public final class DanePolicies {

    /** SMTP's port, where the TLSA records of an MX host are published (RFC 7672 section 2.2.3). */
    public static final int SMTP_PORT = 25;

    private final DnssecLookups dns;

    public DanePolicies(DnssecLookups dns) {
        this.dns = dns;
    }

    /** The decision for mail to {@code domain}. */
    public DanePolicy resolve(String domain) {
        DnssecAnswer<String> mx = dns.mx(domain);
        if (!mx.usable()) {
            // RFC 7672 section 2.2.1: a bogus or failed MX lookup defers the mail
            // TLS-RPT: dnssec-invalid
            return new DanePolicy(
                    domain,
                    DanePolicy.Kind.HOLD,
                    Collections.emptyList(),
                    "MX lookup " + mx.status() + ": " + mx.reason());
        }
        if (mx.status() == DnssecStatus.INSECURE) {
            return new DanePolicy(
                    domain,
                    DanePolicy.Kind.NOT_APPLICABLE,
                    Collections.emptyList(),
                    "its MX records are not DNSSEC-signed");
        }
        List<String> names = mx.records().isEmpty() ? List.of(domain) : mx.records();
        List<DaneHost> hosts = new ArrayList<>();
        boolean anyTls = false;
        boolean anyUsable = false;
        for (String name : names) {
            DaneHost host = host(name);
            hosts.add(host);
            anyTls |= host.tlsMandatory();
            anyUsable |= host.mode() != DaneHost.Mode.UNUSABLE;
        }
        if (anyTls) {
            return new DanePolicy(domain, DanePolicy.Kind.DANE, hosts, "");
        }
        if (!anyUsable) {
            return new DanePolicy(
                    domain,
                    DanePolicy.Kind.HOLD,
                    hosts,
                    "no MX host's TLSA records can be trusted: " + hosts);
        }
        return new DanePolicy(
                domain, DanePolicy.Kind.NOT_APPLICABLE, hosts, "no MX host has TLSA records");
    }

    private DaneHost host(String name) {
        DnssecAddresses addresses = dns.addresses(name);
        if (!addresses.usable()) {
            // a bogus address lookup: the host must not be used (RFC 7672 section 2.2.2)
            // TLS-RPT: dnssec-invalid
            return new DaneHost(
                    name,
                    DaneHost.Mode.UNUSABLE,
                    Collections.emptyList(),
                    "address lookup " + addresses.status() + ": " + addresses.reason());
        }
        if (addresses.status() == DnssecStatus.INSECURE) {
            // RFC 7672 section 2.2.2: TLSA records are only used with secure address records;
            // none are looked up for a host whose addresses (or CNAMEs) are unsigned
            return new DaneHost(
                    name,
                    DaneHost.Mode.NO_TLSA,
                    Collections.emptyList(),
                    "",
                    name,
                    "its address records are not DNSSEC-signed");
        }
        if (addresses.aliased()) {
            // RFC 7672 section 2.2.3: a secure CNAME chain makes its end the first TLSA base
            // domain; the original name is tried when the expanded one has no TLSA records
            DaneHost expanded = tlsaHost(name, addresses.expandedName());
            if (expanded.mode() != DaneHost.Mode.NO_TLSA) {
                return expanded;
            }
        }
        return tlsaHost(name, name);
    }

    /** What the TLSA records at {@code base} say about MX host {@code name}. */
    private DaneHost tlsaHost(String name, String base) {
        DnssecAnswer<TlsaRecord> tlsa = dns.tlsa(base, SMTP_PORT);
        if (!tlsa.usable()) {
            // TLS-RPT: tlsa-invalid / dnssec-invalid
            return new DaneHost(
                    name,
                    DaneHost.Mode.UNUSABLE,
                    Collections.emptyList(),
                    "TLSA lookup " + tlsa.status() + ": " + tlsa.reason(),
                    base,
                    "");
        }
        if (tlsa.status() == DnssecStatus.INSECURE || tlsa.records().isEmpty()) {
            return new DaneHost(name, DaneHost.Mode.NO_TLSA, tlsa.records(), "", base, "");
        }
        for (TlsaRecord record : tlsa.records()) {
            if (record.usable()) {
                return new DaneHost(
                        name, DaneHost.Mode.AUTHENTICATED, tlsa.records(), "", base, "");
            }
        }
        return new DaneHost(name, DaneHost.Mode.ENCRYPTED, tlsa.records(), "", base, "");
    }
}
