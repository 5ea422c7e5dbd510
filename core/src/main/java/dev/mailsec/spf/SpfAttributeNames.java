package dev.mailsec.spf;

/**
 * Names of the mail attributes {@code VerifySpf} sets and {@code SpfResultIs} and DMARC read (the
 * #17 contract). Adapters turn these strings into James {@code AttributeName}s; this class stays
 * free of James types.
 */
public final class SpfAttributeNames {

    /**
     * The SPF result of the mail: a string map {@code result} (pass, fail, softfail, neutral, none,
     * temperror, permerror), {@code domain} (MAIL FROM's domain, or the HELO name when MAIL FROM is
     * null), {@code scope} (mailfrom or helo), {@code ip}, {@code helo} (the HELO name or ""), and
     * {@code reason}. Absent: SPF was not evaluated.
     */
    public static final String RESULT = "dev.mailsec.spf.result";

    /**
     * With {@code checkHelo=true} and a non-null MAIL FROM, the separate check of the HELO name
     * (RFC 7208 section 2.3), same map shape as {@link #RESULT} with scope helo.
     */
    public static final String HELO_RESULT = "dev.mailsec.spf.heloResult";

    public static final String RESULT_KEY = "result";
    public static final String DOMAIN_KEY = "domain";
    public static final String SCOPE_KEY = "scope";
    public static final String IP_KEY = "ip";
    public static final String HELO_KEY = "helo";
    public static final String REASON_KEY = "reason";

    private SpfAttributeNames() {}
}
