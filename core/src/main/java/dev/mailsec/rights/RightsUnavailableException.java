package dev.mailsec.rights;

/**
 * A temporary fault (key store or rights store unreachable): retry later, never treat as a verdict.
 */
public class RightsUnavailableException extends RightsException {
    private static final long serialVersionUID = 1L;

    public RightsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
