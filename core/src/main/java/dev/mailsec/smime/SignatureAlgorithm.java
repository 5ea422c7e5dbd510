package dev.mailsec.smime;

import java.security.PrivateKey;
import java.util.Locale;

/**
 * The signature presets we offer: SHA-2 only, RSA with PKCS#1 v1.5 (what every client verifies) or
 * PSS, and ECDSA. No SHA-1, no MD5 (RFC 8551 section 2.1 makes SHA-256 the MUST).
 */
public enum SignatureAlgorithm {
    RSA_SHA256("SHA256withRSA", "sha-256", "RSA"),
    RSA_SHA384("SHA384withRSA", "sha-384", "RSA"),
    RSA_SHA512("SHA512withRSA", "sha-512", "RSA"),
    RSA_PSS_SHA256("SHA256withRSAandMGF1", "sha-256", "RSA"),
    RSA_PSS_SHA384("SHA384withRSAandMGF1", "sha-384", "RSA"),
    RSA_PSS_SHA512("SHA512withRSAandMGF1", "sha-512", "RSA"),
    ECDSA_SHA256("SHA256withECDSA", "sha-256", "EC"),
    ECDSA_SHA384("SHA384withECDSA", "sha-384", "EC"),
    ECDSA_SHA512("SHA512withECDSA", "sha-512", "EC");

    private final String jcaName;
    private final String micalg;
    private final String keyAlgorithm;

    SignatureAlgorithm(String jcaName, String micalg, String keyAlgorithm) {
        this.jcaName = jcaName;
        this.micalg = micalg;
        this.keyAlgorithm = keyAlgorithm;
    }

    /** The name Bouncy Castle's {@code JcaContentSignerBuilder} takes. */
    public String jcaName() {
        return jcaName;
    }

    /** The {@code micalg} parameter of multipart/signed (RFC 5751 section 3.4.3.2). */
    public String micalg() {
        return micalg;
    }

    public boolean isPss() {
        return jcaName.endsWith("MGF1");
    }

    public boolean fits(PrivateKey key) {
        return keyAlgorithm.equals(normalise(key.getAlgorithm()));
    }

    /**
     * The default for a key: RSA PKCS#1 v1.5 with SHA-256 (readable everywhere), or ECDSA with
     * SHA-256.
     */
    public static SignatureAlgorithm defaultFor(PrivateKey key) {
        return "EC".equals(normalise(key.getAlgorithm())) ? ECDSA_SHA256 : RSA_SHA256;
    }

    /**
     * Parses an operator's name such as {@code rsa-sha256}, {@code rsa-pss-sha256}, {@code
     * ecdsa-sha384}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static SignatureAlgorithm parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (SignatureAlgorithm a : values()) {
            if (a.name().equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "unknown signature algorithm '" + name + "', expected one of " + names());
    }

    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (SignatureAlgorithm a : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(a.configName());
        }
        return sb.toString();
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String normalise(String algorithm) {
        return algorithm.startsWith("RSA") ? "RSA" : ("ECDSA".equals(algorithm) ? "EC" : algorithm);
    }
}
