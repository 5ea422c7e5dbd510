package dev.mailsec.dkm;

/** Life cycle of one version of a secret (or of a group keyset). */
public enum VersionState {
    /** Used for new work (signing, encrypting). Exactly one version is primary. */
    PRIMARY,
    /** Added by a rollover, not promoted yet (e.g. a DKIM selector being published). */
    ENABLED,
    /** A former primary: decrypt and verify only, never used for new work. */
    ARCHIVED,
    /** Destroyed by an admin: the material is gone from the store. */
    DESTROYED
}
