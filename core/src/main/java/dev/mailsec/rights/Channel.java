package dev.mailsec.rights;

/**
 * Where a protected message is opened; every channel refuses alike (expiry, revocation, parties).
 */
public enum Channel {
    /** The web portal, after a passcode. */
    PORTAL,
    /** Transport decryption for local recipients (mailet). */
    TRANSPORT,
    /** {@code ./mailsec rights open}. */
    CLI
}
