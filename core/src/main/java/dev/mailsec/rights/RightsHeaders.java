package dev.mailsec.rights;

/**
 * The headers rights protection shows, rendered in one place so mailets, portal and command line
 * agree.
 *
 * <ul>
 *   <li>{@value #PROTECTED} on a wrapper: {@code licence=<jti>; template=<name>};
 *   <li>{@value #RIGHTS} on a transport-decrypted original: {@code template=<t>; rights=<tokens>;
 *       licence=<jti>}.
 * </ul>
 */
public final class RightsHeaders {
    public static final String PROTECTED = RightsProtector.PROTECTED_HEADER;
    public static final String RIGHTS = "X-Mailsec-Rights";

    /** On a journal copy decrypted by the discovery role ({@code JournalDecrypted}). */
    public static final String JOURNAL = "X-Mailsec-Journal";

    private RightsHeaders() {}

    /** The {@value #PROTECTED} value of a wrapper. */
    public static String protectedValue(UseLicence licence) {
        return "licence=" + licence.licenceId() + "; template=" + licence.template();
    }

    /**
     * The {@value #JOURNAL} value of a journal copy: {@code decrypted; licence=<jti>;
     * by=discovery:<identity>}.
     */
    public static String journalValue(UseLicence licence, String identity) {
        return "decrypted; licence="
                + licence.licenceId()
                + "; by="
                + DiscoveryRole.logAddress(identity);
    }

    /**
     * The {@value #RIGHTS} value of a decrypted original, e.g. {@code template=do-not-forward;
     * rights=view,reply,reply-all; licence=...}.
     */
    public static String rightsValue(UseLicence licence) {
        return "template="
                + licence.template()
                + "; rights="
                + licence.rightsTokens()
                + "; licence="
                + licence.licenceId();
    }

    /**
     * The licence id named in a {@value #PROTECTED} or {@value #RIGHTS} header value, or null. The
     * value is not authenticated: look the id up in the {@link RightsStore}, or verify the package,
     * before trusting it.
     */
    public static String licenceIdOf(String headerValue) {
        if (headerValue == null) {
            return null;
        }
        for (String part : headerValue.split(";")) {
            String p = part.trim();
            if (p.startsWith("licence=")) {
                String id = p.substring("licence=".length()).trim();
                return id.matches("[A-Za-z0-9_-]{16,64}") ? id : null;
            }
        }
        return null;
    }
}
