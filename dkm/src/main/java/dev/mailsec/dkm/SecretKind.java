package dev.mailsec.dkm;

/** What a secret holds. */
public enum SecretKind {
    /**
     * Opaque bytes, e.g. a password of a connected account. Rotation needs a new value from
     * outside.
     */
    OPAQUE,
    /**
     * An asymmetric key pair (PKCS#8 private key) with its public key and X.509 certificate chain.
     */
    KEY_PAIR,
    /** A symmetric AES-256 key. */
    SYMMETRIC
}
