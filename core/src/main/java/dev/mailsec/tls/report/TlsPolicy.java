package dev.mailsec.tls.report;

import java.util.List;
import java.util.Objects;

/**
 * The policy of RFC 8460 section 4.3 {@code policy} a session ran under: its type, the domain it
 * was found for, its strings (for {@code sts}: the policy file's lines; for {@code tlsa}: the TLSA
 * records in presentation form) and, for {@code sts}, its {@code mx} patterns.
 */
public final class TlsPolicy {

    private final TlsPolicyType type;
    private final String domain;
    private final List<String> strings;
    private final List<String> mxHosts;

    public TlsPolicy(
            TlsPolicyType type, String domain, List<String> strings, List<String> mxHosts) {
        this.type = Objects.requireNonNull(type);
        this.domain = Objects.requireNonNull(domain);
        this.strings = List.copyOf(strings);
        this.mxHosts = List.copyOf(mxHosts);
    }

    /** No policy was found for {@code domain}. */
    public static TlsPolicy none(String domain) {
        return new TlsPolicy(TlsPolicyType.NO_POLICY_FOUND, domain, List.of(), List.of());
    }

    /** An MTA-STS policy: its lines as fetched and its mx patterns. */
    public static TlsPolicy sts(String domain, List<String> lines, List<String> mxPatterns) {
        return new TlsPolicy(TlsPolicyType.STS, domain, lines, mxPatterns);
    }

    /** DANE: the TLSA records (presentation form) of the MX host delivered to. */
    public static TlsPolicy tlsa(String domain, List<String> tlsaRecords) {
        return new TlsPolicy(TlsPolicyType.TLSA, domain, tlsaRecords, List.of());
    }

    public TlsPolicyType type() {
        return type;
    }

    public String domain() {
        return domain;
    }

    public List<String> strings() {
        return strings;
    }

    public List<String> mxHosts() {
        return mxHosts;
    }
}
