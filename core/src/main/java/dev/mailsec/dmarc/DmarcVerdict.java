package dev.mailsec.dmarc;

import static dev.mailsec.dmarc.DmarcAttributeNames.DISPOSITION;
import static dev.mailsec.dmarc.DmarcAttributeNames.DKIM_ALIGNED;
import static dev.mailsec.dmarc.DmarcAttributeNames.FROM_DOMAIN;
import static dev.mailsec.dmarc.DmarcAttributeNames.ORG_DOMAIN;
import static dev.mailsec.dmarc.DmarcAttributeNames.OVERRIDE;
import static dev.mailsec.dmarc.DmarcAttributeNames.POLICY;
import static dev.mailsec.dmarc.DmarcAttributeNames.POLICY_DOMAIN;
import static dev.mailsec.dmarc.DmarcAttributeNames.REASON;
import static dev.mailsec.dmarc.DmarcAttributeNames.RECORD;
import static dev.mailsec.dmarc.DmarcAttributeNames.RESULT_KEY;
import static dev.mailsec.dmarc.DmarcAttributeNames.RUA;
import static dev.mailsec.dmarc.DmarcAttributeNames.SOURCE_IP;
import static dev.mailsec.dmarc.DmarcAttributeNames.SPF_ALIGNED;

import dev.mailsec.authres.MethodResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one DMARC evaluation: the result, the policy that applies and what to do
 * (disposition), with the facts a report needs. {@link #toMap()} is the {@value
 * DmarcAttributeNames#RESULT} attribute; {@link #methodResult()} the {@code dmarc=} entry of
 * Authentication-Results.
 */
public final class DmarcVerdict {

    private final DmarcResult result;
    private final String fromDomain;
    private final String orgDomain;
    private final String policyDomain;
    private final DmarcPolicy policy;
    private final DmarcPolicy disposition;
    private final DmarcOverride override;
    private final boolean dkimAligned;
    private final boolean spfAligned;
    private final String record;
    private final String rua;
    private final String sourceIp;
    private final String reason;

    DmarcVerdict(
            DmarcResult result,
            String fromDomain,
            String orgDomain,
            String policyDomain,
            DmarcPolicy policy,
            DmarcPolicy disposition,
            DmarcOverride override,
            boolean dkimAligned,
            boolean spfAligned,
            String record,
            String rua,
            String sourceIp,
            String reason) {
        this.result = result;
        this.fromDomain = fromDomain == null ? "" : fromDomain;
        this.orgDomain = orgDomain == null ? "" : orgDomain;
        this.policyDomain = policyDomain == null ? "" : policyDomain;
        this.policy = policy;
        this.disposition = disposition;
        this.override = override;
        this.dkimAligned = dkimAligned;
        this.spfAligned = spfAligned;
        this.record = record == null ? "" : record;
        this.rua = rua == null ? "" : rua;
        this.sourceIp = sourceIp == null ? "" : sourceIp;
        this.reason = reason == null ? "" : reason;
    }

    /** A verdict without a policy (none, permerror, temperror before a record was found). */
    static DmarcVerdict withoutPolicy(
            DmarcResult result, String fromDomain, String orgDomain, String sourceIp, String why) {
        return new DmarcVerdict(
                result,
                fromDomain,
                orgDomain,
                "",
                null,
                DmarcPolicy.NONE,
                DmarcOverride.NONE,
                false,
                false,
                "",
                "",
                sourceIp,
                why);
    }

    public DmarcResult result() {
        return result;
    }

    public String fromDomain() {
        return fromDomain;
    }

    public String orgDomain() {
        return orgDomain;
    }

    /**
     * The domain whose {@code _dmarc} record was evaluated: the From domain, its organizational
     * domain or (tree walk) a name between; "" when no record was found.
     */
    public String policyDomain() {
        return policyDomain;
    }

    /** The p, sp or np that applies; null without a usable record. */
    public DmarcPolicy policy() {
        return policy;
    }

    /** What to do after pct/t= and local overrides; {@code NONE} unless the result is fail. */
    public DmarcPolicy disposition() {
        return disposition;
    }

    public DmarcOverride override() {
        return override;
    }

    public boolean dkimAligned() {
        return dkimAligned;
    }

    public boolean spfAligned() {
        return spfAligned;
    }

    public String record() {
        return record;
    }

    public String rua() {
        return rua;
    }

    public String sourceIp() {
        return sourceIp;
    }

    public String reason() {
        return reason;
    }

    /** The attribute's string map: every key of the #17 contract, plus {@code reason}. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(RESULT_KEY, result.keyword());
        m.put(FROM_DOMAIN, fromDomain);
        m.put(ORG_DOMAIN, orgDomain);
        m.put(POLICY_DOMAIN, policyDomain);
        m.put(POLICY, policy == null ? "" : policy.keyword());
        m.put(DISPOSITION, disposition.keyword());
        m.put(OVERRIDE, override.keyword());
        m.put(DKIM_ALIGNED, Boolean.toString(dkimAligned));
        m.put(SPF_ALIGNED, Boolean.toString(spfAligned));
        m.put(RECORD, record);
        m.put(RUA, rua);
        m.put(SOURCE_IP, sourceIp);
        m.put(REASON, reason);
        return m;
    }

    /**
     * {@code dmarc=<result> (reason) header.from=<domain> policy.dmarc=<p>}, plus {@code
     * policy.override=<type>} (RFC 7489 appendix C's PolicyOverrideType; DMARCbis keeps no A-R
     * wording of its own) and {@code policy.disposition=<d>} when an override or sampling changed
     * what is done.
     */
    public MethodResult methodResult() {
        String comment = reason;
        if (override != DmarcOverride.NONE && comment.isEmpty()) {
            comment = "overridden: " + override.keyword();
        }
        MethodResult.Builder b =
                MethodResult.builder("dmarc", result.keyword())
                        .reason(comment)
                        .property("header", "from", fromDomain)
                        .property("policy", "dmarc", policy == null ? "" : policy.keyword());
        if (override != DmarcOverride.NONE) {
            b.property("policy", "override", override.keyword());
            b.property("policy", "disposition", disposition.keyword());
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "DmarcVerdict" + toMap();
    }
}
