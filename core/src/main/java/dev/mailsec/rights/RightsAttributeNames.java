package dev.mailsec.rights;

/**
 * Names of the mail attributes the rights mailets set ({@code ProtectMessage}, {@code
 * EnforceRights}, {@code DecryptRightsProtected}). Adapters turn these strings into James {@code
 * AttributeName}s; this class stays free of James types.
 */
public final class RightsAttributeNames {

    /**
     * Licence id of the message just protected, or of the protected message just opened. String
     * value.
     */
    public static final String LICENCE = "mailsec.rights.licence";

    /** Name of the template that protected it. String value. */
    public static final String TEMPLATE = "mailsec.rights.template";

    /**
     * What {@code EnforceRights} did with mail carrying protected content: {@code bounced}, or
     * {@code protected <template>} (see {@link ForwardingPolicy}). String value.
     */
    public static final String ENFORCED = "mailsec.rights.enforced";

    /** Why transport decryption left a protected message closed. String value. */
    public static final String REFUSED = "mailsec.rights.refused";

    /** Set on the copy transport decryption opened, so it is never opened twice. Boolean value. */
    public static final String DECRYPTED = "mailsec.rights.decrypted";

    private RightsAttributeNames() {}
}
