package dev.mailsec.smime;

/**
 * Names of the mail attributes the S/MIME mailets set. Adapters turn them into James {@code
 * AttributeName}s; values are strings so they survive the mail queue's serialisation.
 */
public final class SmimeAttributeNames {

    /** {@link SmimeResult#keyword()} of the signature check, e.g. {@code pass}. String. */
    public static final String VERIFICATION_RESULT = "dev.mailsec.smime.verification.result";

    /** Why the result is not pass, e.g. {@code certificate revoked}. String; absent on pass. */
    public static final String VERIFICATION_REASON = "dev.mailsec.smime.verification.reason";

    /** The signer's addresses from its certificate, comma-separated. String. */
    public static final String VERIFICATION_SIGNER = "dev.mailsec.smime.verification.signer";

    /**
     * {@link DecryptionResult#summary()}: {@code key=... content=aes256-gcm transport=rsa-oaep}.
     * String.
     */
    public static final String DECRYPTION = "dev.mailsec.smime.decryption";

    /**
     * Why decryption did not happen: {@code NO_MATCHING_KEY}, {@code CORRUPT}, ... ({@link
     * SmimeException.Reason}). String.
     */
    public static final String DECRYPTION_FAILURE = "dev.mailsec.smime.decryption.failure";

    /** What {@code EncryptSmime} did: {@code aes256-gcm rsa-oaep} etc. String. */
    public static final String ENCRYPTION = "dev.mailsec.smime.encryption";

    /** The address whose key signed the message. String. */
    public static final String SIGNED_BY = "dev.mailsec.smime.signedBy";

    private SmimeAttributeNames() {}
}
