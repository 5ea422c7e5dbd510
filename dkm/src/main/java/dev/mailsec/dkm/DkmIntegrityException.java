package dev.mailsec.dkm;

/**
 * The store holds data that fails authentication: a changed ciphertext, a record moved onto another
 * secret, or a root key that no longer exists. Never retried: an operator has to look.
 */
public class DkmIntegrityException extends DkmException {
    private static final long serialVersionUID = 1L;

    public DkmIntegrityException(String message) {
        super(message);
    }

    public DkmIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
