package dev.mailsec.rights;

/**
 * Well-formed but not authentic: a licence whose signature does not verify (modified, or signed by
 * another key), content that does not match the licence's {@code cth}, or a ciphertext that does
 * not decrypt with our rights key (modified, or made for another store).
 */
public class RightsIntegrityException extends RightsFormatException {
    private static final long serialVersionUID = 1L;

    public RightsIntegrityException(String message) {
        super(message);
    }

    public RightsIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
