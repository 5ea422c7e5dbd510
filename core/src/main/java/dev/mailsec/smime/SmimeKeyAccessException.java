package dev.mailsec.smime;

/**
 * The key store answered but refused or failed permanently (access denied, a tampered record, a
 * secret of the wrong kind): not a temporary fault and not "no key". An operator has to look;
 * retrying the same mail will not help. Never carries key material. Its {@link #reason()} is {@link
 * SmimeException.Reason#KEY_ACCESS_DENIED}; a store that cannot be reached is an {@link
 * java.io.IOException} instead (temporary).
 */
public class SmimeKeyAccessException extends SmimeException {
    private static final long serialVersionUID = 1L;

    public SmimeKeyAccessException(String message) {
        super(Reason.KEY_ACCESS_DENIED, message);
    }

    public SmimeKeyAccessException(String message, Throwable cause) {
        super(Reason.KEY_ACCESS_DENIED, message, cause);
    }
}
