package dev.mailsec.smime;

import java.io.IOException;

/**
 * The key store answered but refused or failed permanently (access denied, a tampered record, a
 * secret of the wrong kind): not a temporary fault and not "no key". An operator has to look;
 * retrying the same mail will not help. Never carries key material.
 */
public class SmimeKeyAccessException extends IOException {
    private static final long serialVersionUID = 1L;

    public SmimeKeyAccessException(String message) {
        super(message);
    }

    public SmimeKeyAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
