package dev.mailsec.dmarc;

/**
 * Names of the mail attribute {@code VerifyDmarc} sets and the DMARC matchers and reports read, and
 * the keys of its string map (the #17 contract). Adapters turn these strings into James {@code
 * AttributeName}s; this class stays free of James types.
 */
public final class DmarcAttributeNames {

    /** The verdict: a string map with the keys below ({@link DmarcVerdict#toMap()}). */
    public static final String RESULT = "dev.mailsec.dmarc.result";

    /** pass, fail, none, temperror or permerror. */
    public static final String RESULT_KEY = "result";

    /** The RFC5322.From domain evaluated (lower-case ASCII), "" when there is none. */
    public static final String FROM_DOMAIN = "fromDomain";

    /** Its organizational domain, "" when unknown. */
    public static final String ORG_DOMAIN = "orgDomain";

    /**
     * The domain whose {@code _dmarc} record was evaluated (the report's policy domain), "" without
     * a record.
     */
    public static final String POLICY_DOMAIN = "policyDomain";

    /** none, quarantine or reject: the p, sp or np that applies; "" without a record. */
    public static final String POLICY = "policy";

    /** none, quarantine or reject: what to do after pct, t= and local overrides. */
    public static final String DISPOSITION = "disposition";

    /** "", arc, local_policy, sampled_out or trusted_forwarder. */
    public static final String OVERRIDE = "override";

    /** true when a passing DKIM signature is aligned with the From domain. */
    public static final String DKIM_ALIGNED = "dkimAligned";

    /** true when an SPF pass for MAIL FROM is aligned with the From domain. */
    public static final String SPF_ALIGNED = "spfAligned";

    /** The DMARC record text evaluated, "" when none. */
    public static final String RECORD = "record";

    /** Comma list of the record's rua URIs, "" when none. */
    public static final String RUA = "rua";

    /** The client IP address, "" when unknown. */
    public static final String SOURCE_IP = "sourceIp";

    /** A short reason for the verdict (not part of the contract; for logs and A-R comments). */
    public static final String REASON = "reason";

    private DmarcAttributeNames() {}
}
