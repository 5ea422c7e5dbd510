package dev.mailsec.dkm;

/**
 * The request names a secret, group, identity or version the store does not hold (or a name none
 * can have). A {@link DkmInvalidRequestException}, so existing handlers keep working; catch this
 * one to tell "no such thing" (a mailet: this domain or address has no key) from a request that is
 * wrong in another way.
 */
public class DkmNotFoundException extends DkmInvalidRequestException {
    private static final long serialVersionUID = 1L;

    public DkmNotFoundException(String message) {
        super(message);
    }

    public DkmNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
