package dev.mailsec.rights;

/**
 * Base of the rights engine's checked exceptions. Messages never contain key material or passcodes.
 */
public class RightsException extends Exception {
    private static final long serialVersionUID = 1L;

    public RightsException(String message) {
        super(message);
    }

    public RightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
