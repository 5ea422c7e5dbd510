package dev.mailsec.spf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one SPF check (RFC 7208 section 2.6): the result, the identity checked and its
 * scope, why, the explanation a {@code fail} carries (section 6.2, empty otherwise) and the DNS
 * questions asked, in order.
 */
public final class SpfResult {

    /** RFC 7208 section 2.6 results; {@link #keyword()} is the RFC 8601 spelling. */
    public enum Code {
        PASS,
        FAIL,
        SOFTFAIL,
        NEUTRAL,
        NONE,
        TEMPERROR,
        PERMERROR;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a keyword, any case; another word throws, quoting it. */
        public static Code fromKeyword(String keyword) {
            for (Code c : values()) {
                if (c.keyword().equalsIgnoreCase(keyword.trim())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("not an SPF result: '" + keyword + "'");
        }
    }

    /** Which identity was checked (RFC 7208 section 2.4 MAIL FROM, 2.3 HELO). */
    public enum Scope {
        MAILFROM,
        HELO;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Code code;
    private final Scope scope;
    private final String domain;
    private final String sender;
    private final String ip;
    private final String helo;
    private final String reason;
    private final String explanation;
    private final List<String> lookups;

    SpfResult(
            Code code,
            Scope scope,
            String domain,
            String sender,
            String ip,
            String helo,
            String reason,
            String explanation,
            List<String> lookups) {
        this.code = Objects.requireNonNull(code, "code");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.domain = domain == null ? "" : domain;
        this.sender = sender == null ? "" : sender;
        this.ip = ip;
        this.helo = helo == null ? "" : helo;
        this.reason = reason == null ? "" : reason;
        this.explanation = explanation == null ? "" : explanation;
        this.lookups = List.copyOf(lookups);
    }

    public Code code() {
        return code;
    }

    public Scope scope() {
        return scope;
    }

    /** The domain checked: MAIL FROM's domain, or the HELO name. */
    public String domain() {
        return domain;
    }

    /** The identity as given to check_host ({@code postmaster@helo} for the HELO scope). */
    public String sender() {
        return sender;
    }

    public String ip() {
        return ip;
    }

    public String helo() {
        return helo;
    }

    /** A short text saying why (the mechanism that matched, the limit hit, the DNS fault). */
    public String reason() {
        return reason;
    }

    /** The expanded {@code exp=} text of a {@code fail}, or the default explanation; else empty. */
    public String explanation() {
        return explanation;
    }

    /** Each DNS question asked and how it ended, e.g. {@code "TXT example.com: FOUND"}. */
    public List<String> lookups() {
        return lookups;
    }

    /**
     * The {@code dev.mailsec.spf.result} attribute's map (see {@link SpfAttributeNames}): result,
     * domain, scope, ip, helo, reason.
     */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SpfAttributeNames.RESULT_KEY, code.keyword());
        m.put(SpfAttributeNames.DOMAIN_KEY, domain);
        m.put(SpfAttributeNames.SCOPE_KEY, scope.keyword());
        m.put(SpfAttributeNames.IP_KEY, ip);
        m.put(SpfAttributeNames.HELO_KEY, helo);
        m.put(SpfAttributeNames.REASON_KEY, reason);
        return m;
    }

    @Override
    public String toString() {
        return "SpfResult{"
                + code.keyword()
                + ", "
                + scope.keyword()
                + "="
                + domain
                + ", ip="
                + ip
                + ", reason="
                + reason
                + "}";
    }
}
