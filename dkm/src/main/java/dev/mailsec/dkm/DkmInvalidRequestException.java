package dev.mailsec.dkm;

/** Bad input: an unknown secret, group, identity or version, a malformed name, a wrong value. */
public class DkmInvalidRequestException extends DkmException {
    private static final long serialVersionUID = 1L;

    public DkmInvalidRequestException(String message) {
        super(message);
    }

    public DkmInvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
