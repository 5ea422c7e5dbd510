package dev.mailsec.rights;

/**
 * The rights state store (file directory or PostgreSQL) could not be read or written. Temporary.
 */
public class RightsStoreUnavailableException extends RightsUnavailableException {
    private static final long serialVersionUID = 1L;

    public RightsStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
