package dev.mailsec.dkim.sign;

import java.util.Locale;

/**
 * The two signing algorithms mailsec uses (RFC 8301 retired rsa-sha1; RFC 8463 added
 * ed25519-sha256).
 */
public enum SigningAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa", "RSA"),
    ED25519_SHA256("ed25519-sha256", "ed25519", "Ed25519");

    private final String tag;
    private final String keyType;
    private final String jcaKeyAlgorithm;

    SigningAlgorithm(String tag, String keyType, String jcaKeyAlgorithm) {
        this.tag = tag;
        this.keyType = keyType;
        this.jcaKeyAlgorithm = jcaKeyAlgorithm;
    }

    /** The a= value. */
    public String tag() {
        return tag;
    }

    /** The k= value of the key record, and the first part of derived selectors. */
    public String keyType() {
        return keyType;
    }

    /** The JCA key algorithm name ({@code RSA}, {@code Ed25519}). */
    public String jcaKeyAlgorithm() {
        return jcaKeyAlgorithm;
    }

    /** By a= value ({@code rsa-sha256}, {@code ed25519-sha256}); null if unknown. */
    public static SigningAlgorithm fromTag(String s) {
        for (SigningAlgorithm a : values()) {
            if (a.tag.equals(s)) {
                return a;
            }
        }
        return null;
    }

    /**
     * By the algorithm of a JCA key ({@code RSA}, {@code Ed25519} or {@code EdDSA}); null if not
     * usable for DKIM.
     */
    public static SigningAlgorithm ofKeyAlgorithm(String jca) {
        String a = jca == null ? "" : jca.toUpperCase(Locale.ROOT);
        if (a.equals("RSA")) {
            return RSA_SHA256;
        }
        if (a.equals("ED25519") || a.equals("EDDSA")) {
            return ED25519_SHA256;
        }
        return null;
    }
}
