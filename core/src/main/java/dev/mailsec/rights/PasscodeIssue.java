package dev.mailsec.rights;

import java.time.Instant;

/**
 * A freshly issued one-time passcode: the only time its plaintext exists. {@code toString()} hides
 * it.
 */
public final class PasscodeIssue {
    private final String code;
    private final Instant expiresAt;

    PasscodeIssue(String code, Instant expiresAt) {
        this.code = code;
        this.expiresAt = expiresAt;
    }

    /** The passcode to mail to the reader (8 digits). Never log it. */
    public String code() {
        return code;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public String toString() {
        return "PasscodeIssue[code redacted, expires " + expiresAt + "]";
    }
}
