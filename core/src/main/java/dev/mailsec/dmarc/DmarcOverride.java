package dev.mailsec.dmarc;

import java.util.Locale;

/**
 * Why the disposition is milder than the policy: the PolicyOverrideType values of RFC 7489 appendix
 * C, written in A-R as {@code policy.override=<keyword>}.
 */
public enum DmarcOverride {
    /** No override: the disposition is the policy. */
    NONE(""),
    /** A trusted ARC sealer vouched for an earlier dkim/spf pass (RFC 8617 section 7.2.1). */
    ARC("arc"),
    /** The From domain is on the local allow-list. */
    LOCAL_POLICY("local_policy"),
    /** pct sampling (or t=y) applied the next milder policy. */
    SAMPLED_OUT("sampled_out"),
    /** The client address is in a trusted network. */
    TRUSTED_FORWARDER("trusted_forwarder");

    private final String keyword;

    DmarcOverride(String keyword) {
        this.keyword = keyword;
    }

    /** "" for {@link #NONE}. */
    public String keyword() {
        return keyword;
    }

    public static DmarcOverride fromKeyword(String keyword) {
        String k = keyword.trim().toLowerCase(Locale.ROOT);
        for (DmarcOverride o : values()) {
            if (o.keyword.equals(k)) {
                return o;
            }
        }
        throw new IllegalArgumentException("not a DMARC override: '" + keyword + "'");
    }
}
