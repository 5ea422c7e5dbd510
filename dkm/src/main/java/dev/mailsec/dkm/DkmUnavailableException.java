package dev.mailsec.dkm;

/**
 * A temporary failure: the store or the root key could not be reached. Callers that process mail
 * retry the message later (or route it to a processor) instead of losing it.
 */
public class DkmUnavailableException extends DkmException {
    private static final long serialVersionUID = 1L;

    public DkmUnavailableException(String message) {
        super(message);
    }

    public DkmUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
