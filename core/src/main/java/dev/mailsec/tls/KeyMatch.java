package dev.mailsec.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;

/** Whether a private key belongs to a certificate, proven by signing a random challenge. */
public final class KeyMatch {
    private KeyMatch() {}

    /**
     * True when a signature by {@code key} over a random challenge verifies with the public key of
     * {@code leaf}; false for a key of another pair or of an algorithm other than RSA, EC or EdDSA.
     */
    public static boolean matches(PrivateKey key, X509Certificate leaf) {
        String algorithm;
        switch (key.getAlgorithm()) {
            case "RSA":
                algorithm = "SHA256withRSA";
                break;
            case "EC":
                algorithm = "SHA256withECDSA";
                break;
            case "Ed25519":
            case "Ed448":
            case "EdDSA":
                algorithm = key.getAlgorithm();
                break;
            default:
                return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
