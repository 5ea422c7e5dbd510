package dev.mailsec.dkm;

/**
 * Base of every failure the key manager reports. Messages name the secret, identity or parameter
 * involved, never a secret value.
 */
public abstract class DkmException extends Exception {
    private static final long serialVersionUID = 1L;

    protected DkmException(String message) {
        super(message);
    }

    protected DkmException(String message, Throwable cause) {
        super(message, cause);
    }
}
