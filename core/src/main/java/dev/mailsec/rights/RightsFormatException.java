package dev.mailsec.rights;

/**
 * A protected package, licence or ciphertext that is malformed: a verdict about input, not a fault
 * of ours.
 */
public class RightsFormatException extends RightsException {
    private static final long serialVersionUID = 1L;

    public RightsFormatException(String message) {
        super(message);
    }

    public RightsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
