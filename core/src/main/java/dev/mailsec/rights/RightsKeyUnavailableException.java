package dev.mailsec.rights;

/**
 * The rights keys could not be read from DKM (store down, access refused, secret missing).
 * Temporary.
 */
public class RightsKeyUnavailableException extends RightsUnavailableException {
    private static final long serialVersionUID = 1L;

    public RightsKeyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
