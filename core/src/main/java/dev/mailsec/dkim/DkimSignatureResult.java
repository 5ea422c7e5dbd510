package dev.mailsec.dkim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The verdict for one {@code DKIM-Signature} field, with the tags an operator needs to see why. Tag
 * values are only filled in when they passed their syntax check, so they are safe to render into a
 * header; an empty string means "absent or unusable".
 */
public final class DkimSignatureResult {

    /** Number of characters of {@code b=} kept ({@code header.b}, RFC 6008). */
    public static final int B_PREFIX_LENGTH = 8;

    private final DkimResult result;
    private final String reason;
    private final String domain;
    private final String selector;
    private final String algorithm;
    private final String identity;
    private final String bPrefix;
    private final boolean testing;

    private DkimSignatureResult(Builder b) {
        this.result = Objects.requireNonNull(b.result, "result");
        this.reason = nonNull(b.reason);
        this.domain = nonNull(b.domain);
        this.selector = nonNull(b.selector);
        this.algorithm = nonNull(b.algorithm);
        this.identity = nonNull(b.identity);
        this.bPrefix = nonNull(b.bPrefix);
        this.testing = b.testing;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    public static Builder builder(DkimResult result) {
        return new Builder(result);
    }

    public DkimResult result() {
        return result;
    }

    /** Why the result is not {@code pass} (empty for a pass). */
    public String reason() {
        return reason;
    }

    /** The signing domain {@code d=}, lower case. */
    public String domain() {
        return domain;
    }

    /** The selector {@code s=}. */
    public String selector() {
        return selector;
    }

    /** The algorithm {@code a=}, e.g. {@code rsa-sha256}. */
    public String algorithm() {
        return algorithm;
    }

    /** The agent or user identifier {@code i=} as written in the signature. */
    public String identity() {
        return identity;
    }

    /** The first {@value #B_PREFIX_LENGTH} characters of {@code b=} (to tell signatures apart). */
    public String bPrefix() {
        return bPrefix;
    }

    /** The key record carries {@code t=y}: the signer is testing DKIM. */
    public boolean testing() {
        return testing;
    }

    /**
     * This result as string pairs, the form a mail attribute carries (see {@link
     * DkimAttributeNames}).
     */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("result", result.keyword());
        m.put("reason", reason);
        m.put("d", domain);
        m.put("s", selector);
        m.put("a", algorithm);
        m.put("i", identity);
        m.put("b", bPrefix);
        m.put("testing", Boolean.toString(testing));
        return m;
    }

    /** Reads back {@link #toMap()}. */
    public static DkimSignatureResult fromMap(Map<String, String> m) {
        String result = m.get("result");
        if (result == null) {
            throw new IllegalArgumentException("no 'result' entry");
        }
        return builder(DkimResult.fromKeyword(result))
                .reason(m.get("reason"))
                .domain(m.get("d"))
                .selector(m.get("s"))
                .algorithm(m.get("a"))
                .identity(m.get("i"))
                .bPrefix(m.get("b"))
                .testing(Boolean.parseBoolean(m.get("testing")))
                .build();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DkimSignatureResult)) {
            return false;
        }
        return toMap().equals(((DkimSignatureResult) o).toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "dkim="
                + result.keyword()
                + (reason.isEmpty() ? "" : " (" + reason + ")")
                + " d="
                + domain
                + " s="
                + selector
                + " a="
                + algorithm
                + " b="
                + bPrefix
                + (testing ? " testing" : "");
    }

    /** Builder; every setter accepts null as "absent". */
    public static final class Builder {
        private DkimResult result;
        private String reason;
        private String domain;
        private String selector;
        private String algorithm;
        private String identity;
        private String bPrefix;
        private boolean testing;

        private Builder(DkimResult result) {
            this.result = result;
        }

        public Builder result(DkimResult result) {
            this.result = result;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        public Builder selector(String selector) {
            this.selector = selector;
            return this;
        }

        public Builder algorithm(String algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        public Builder identity(String identity) {
            this.identity = identity;
            return this;
        }

        public Builder bPrefix(String bPrefix) {
            this.bPrefix = bPrefix;
            return this;
        }

        public Builder testing(boolean testing) {
            this.testing = testing;
            return this;
        }

        public DkimSignatureResult build() {
            return new DkimSignatureResult(this);
        }
    }
}
