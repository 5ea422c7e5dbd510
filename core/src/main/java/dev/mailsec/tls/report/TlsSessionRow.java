package dev.mailsec.tls.report;

import dev.mailsec.report.CountedRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a TLS report counts (RFC 8460 section 4.3): the policy a session ran under (domain, type,
 * the policy's strings and MX patterns) and either success or one failure with its result type and
 * hosts. All successful sessions of one policy are one row (their count is {@code
 * total-successful-session-count}); failures with equal details are one {@code failure-details}
 * entry (their count is {@code failed-session-count}). Values are bounded and free of control
 * characters, so a hostile MX name cannot grow a row or break its encoding.
 */
public final class TlsSessionRow implements CountedRow {

    static final int MAX_VALUE = 255;
    static final int MAX_STRINGS = 32;
    private static final String VERSION = "t1";

    private final String policyDomain;
    private final TlsPolicyType policyType;
    private final List<String> policyStrings;
    private final List<String> mxHosts;
    private final TlsResultType result;
    private final String sendingMtaIp;
    private final String receivingMxHostname;
    private final String receivingIp;

    private TlsSessionRow(
            String policyDomain,
            TlsPolicyType policyType,
            List<String> policyStrings,
            List<String> mxHosts,
            TlsResultType result,
            String sendingMtaIp,
            String receivingMxHostname,
            String receivingIp) {
        this.policyDomain = clean(policyDomain).toLowerCase(Locale.ROOT);
        this.policyType = Objects.requireNonNull(policyType);
        this.policyStrings = cleanAll(policyStrings);
        this.mxHosts = cleanAll(mxHosts);
        this.result = result;
        this.sendingMtaIp = clean(sendingMtaIp);
        this.receivingMxHostname = clean(receivingMxHostname).toLowerCase(Locale.ROOT);
        this.receivingIp = clean(receivingIp);
    }

    /** A successful session under {@code policy}. */
    public static TlsSessionRow success(TlsPolicy policy) {
        return new TlsSessionRow(
                policy.domain(),
                policy.type(),
                policy.strings(),
                policy.mxHosts(),
                null,
                "",
                "",
                "");
    }

    /**
     * A failed session under {@code policy}; {@code sendingMtaIp} and {@code receivingIp} may be
     * empty when not known (a policy fetch failed before any connection).
     */
    public static TlsSessionRow failure(
            TlsPolicy policy,
            TlsResultType result,
            String sendingMtaIp,
            String receivingMxHostname,
            String receivingIp) {
        return new TlsSessionRow(
                policy.domain(),
                policy.type(),
                policy.strings(),
                policy.mxHosts(),
                Objects.requireNonNull(result),
                sendingMtaIp,
                receivingMxHostname,
                receivingIp);
    }

    @Override
    public String policyDomain() {
        return policyDomain;
    }

    public TlsPolicy policy() {
        return new TlsPolicy(policyType, policyDomain, policyStrings, mxHosts);
    }

    /** The failure, or empty for a successful session. */
    public Optional<TlsResultType> result() {
        return Optional.ofNullable(result);
    }

    public String sendingMtaIp() {
        return sendingMtaIp;
    }

    public String receivingMxHostname() {
        return receivingMxHostname;
    }

    public String receivingIp() {
        return receivingIp;
    }

    /** Tabs separate the fields, {@code |} the items of a list ({@code %} escapes both). */
    @Override
    public String encode() {
        List<String> f = new ArrayList<>();
        f.add(VERSION);
        f.add(policyDomain);
        f.add(policyType.value());
        f.add(joined(policyStrings));
        f.add(joined(mxHosts));
        f.add(result == null ? "" : result.value());
        f.add(sendingMtaIp);
        f.add(receivingMxHostname);
        f.add(receivingIp);
        return String.join("\t", f);
    }

    /** Reads {@link #encode()}'s text back; {@code IllegalArgumentException} if it is not one. */
    public static TlsSessionRow decode(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 9 || !f[0].equals(VERSION)) {
            throw new IllegalArgumentException("not a TLS report row");
        }
        TlsPolicyType type =
                TlsPolicyType.of(f[2])
                        .orElseThrow(() -> new IllegalArgumentException("not a TLS report row"));
        TlsResultType result =
                f[5].isEmpty()
                        ? null
                        : TlsResultType.of(f[5])
                                .orElseThrow(
                                        () -> new IllegalArgumentException("not a TLS report row"));
        return new TlsSessionRow(f[1], type, split(f[3]), split(f[4]), result, f[6], f[7], f[8]);
    }

    private static String joined(List<String> items) {
        List<String> escaped = new ArrayList<>();
        for (String s : items) {
            escaped.add(s.replace("%", "%25").replace("|", "%7C"));
        }
        return String.join("|", escaped);
    }

    private static List<String> split(String field) {
        List<String> out = new ArrayList<>();
        if (field.isEmpty()) {
            return out;
        }
        for (String s : field.split("\\|", -1)) {
            out.add(s.replace("%7C", "|").replace("%25", "%"));
        }
        return out;
    }

    private static List<String> cleanAll(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (out.size() == MAX_STRINGS) {
                break;
            }
            String c = clean(v);
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return List.copyOf(out);
    }

    static String clean(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(value.length(), MAX_VALUE));
        for (int i = 0; i < value.length() && b.length() < MAX_VALUE; i++) {
            char c = value.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? ' ' : Character.isSurrogate(c) ? '?' : c);
        }
        return b.toString().trim();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsSessionRow && ((TlsSessionRow) o).encode().equals(encode());
    }

    @Override
    public int hashCode() {
        return encode().hashCode();
    }

    @Override
    public String toString() {
        return "TlsSessionRow["
                + policyDomain
                + ", "
                + policyType.value()
                + ", "
                + (result == null ? "success" : result.value())
                + "]";
    }
}
