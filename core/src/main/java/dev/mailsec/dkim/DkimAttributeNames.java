package dev.mailsec.dkim;

/**
 * Names of the mail attributes {@code VerifyDkim} sets and the DKIM matchers read. Adapters turn
 * these strings into James {@code AttributeName}s; this class stays free of James types.
 */
public final class DkimAttributeNames {

    /**
     * One entry per verified signature, in header order: a list of string maps, each the {@link
     * DkimSignatureResult#toMap()} of one signature plus an {@code aligned} entry ({@code strict},
     * {@code relaxed} or {@code none}, see {@link DkimVerification#alignment}). A message without
     * signatures gets one entry with result {@code none}.
     */
    public static final String RESULTS = "dev.mailsec.dkim.results";

    /**
     * The {@code From:} domain the alignment was computed against (absent when From is missing or
     * ambiguous). String value.
     */
    public static final String FROM_DOMAIN = "dev.mailsec.dkim.fromDomain";

    /** Map key, inside each {@link #RESULTS} entry, of the DMARC alignment of that signature. */
    public static final String ALIGNED_KEY = "aligned";

    private DkimAttributeNames() {}
}
