package dev.mailsec.smime;

/**
 * A message the engine could not process; {@link #reason()} says why, in terms an adapter can route
 * on.
 */
public class SmimeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the operation failed. */
    public enum Reason {
        /**
         * The input is not the kind of S/MIME message the operation expects (or not a message at
         * all).
         */
        NOT_SMIME,
        /** None of the supplied keys is a recipient of the envelope. */
        NO_MATCHING_KEY,
        /** The CMS structure or its encoding is broken, or an integrity check failed. */
        CORRUPT,
        /** The message uses an algorithm this engine refuses (e.g. RC2, DES) or does not know. */
        UNSUPPORTED_ALGORITHM,
        /** A key or certificate cannot be used for this operation. */
        UNUSABLE_KEY,
        /**
         * The key store refused or holds a broken key ({@link SmimeKeyAccessException}): permanent,
         * an operator must look.
         */
        KEY_ACCESS_DENIED
    }

    private final Reason reason;

    public SmimeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SmimeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
