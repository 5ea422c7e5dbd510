package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.Aead;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The plaintext of a new secret version, checked and in the store's form: a value (OPAQUE,
 * SYMMETRIC) or a PKCS#8 private key with its public key and certificate chain, given or freshly
 * generated from a named algorithm ({@code RSA-2048}, {@code Ed25519}, {@code EC-P256}...).
 */
final class SecretMaterial {
    final byte[] plaintext;
    final String algorithm;
    final byte[] publicKey;
    final List<byte[]> certificates;

    private SecretMaterial(
            byte[] plaintext, String algorithm, byte[] publicKey, List<byte[]> certificates) {
        this.plaintext = plaintext;
        this.algorithm = algorithm;
        this.publicKey = publicKey;
        this.certificates = certificates;
    }

    /** A given OPAQUE or SYMMETRIC value. */
    static SecretMaterial value(SecretKind kind, byte[] value) throws DkmInvalidRequestException {
        checkValue(kind, value);
        return of(kind, value);
    }

    /** A value not checked again (checked by the caller, or generated). */
    private static SecretMaterial of(SecretKind kind, byte[] value) {
        return new SecretMaterial(
                value,
                kind == SecretKind.SYMMETRIC ? "AES" : null,
                null,
                Collections.<byte[]>emptyList());
    }

    /** A fresh AES-256 key. */
    static SecretMaterial newSymmetricKey() {
        return of(SecretKind.SYMMETRIC, Aead.newKey());
    }

    static SecretMaterial keyPair(PrivateKey priv, PublicKey pub, List<X509Certificate> chain)
            throws DkmInvalidRequestException {
        if (priv == null || pub == null || priv.getEncoded() == null) {
            throw new DkmInvalidRequestException(
                    "key pair: need an encodable private key and its public key");
        }
        List<byte[]> certs = new ArrayList<>();
        try {
            if (chain != null) {
                for (X509Certificate c : chain) {
                    certs.add(c.getEncoded());
                }
            }
        } catch (CertificateEncodingException e) {
            throw new DkmInvalidRequestException("certificate chain: cannot encode a certificate");
        }
        if (chain != null && !chain.isEmpty() && !chain.get(0).getPublicKey().equals(pub)) {
            throw new DkmInvalidRequestException(
                    "certificate chain: the first certificate is not for this key");
        }
        return new SecretMaterial(priv.getEncoded(), priv.getAlgorithm(), pub.getEncoded(), certs);
    }

    static SecretMaterial newKeyPair(String algorithm) throws DkmInvalidRequestException {
        return generated(generateKeyPair(algorithm));
    }

    /** A new key pair of the same algorithm and size as the given public key. */
    static SecretMaterial newKeyPairLike(String algorithm, byte[] spki)
            throws DkmInvalidRequestException {
        return generated(sameKindOfKeyPair(algorithm, spki));
    }

    private static SecretMaterial generated(KeyPair kp) throws DkmInvalidRequestException {
        return keyPair(kp.getPrivate(), kp.getPublic(), null);
    }

    static void checkValue(SecretKind kind, byte[] value) throws DkmInvalidRequestException {
        if (value == null || value.length == 0) {
            throw new DkmInvalidRequestException("value: empty");
        }
        if (kind == SecretKind.SYMMETRIC && value.length != Aead.KEY_BYTES) {
            throw new DkmInvalidRequestException(
                    "value: a SYMMETRIC secret is a 32-byte AES-256 key, got "
                            + value.length
                            + " bytes");
        }
    }

    static KeyPair generateKeyPair(String algorithm) throws DkmInvalidRequestException {
        try {
            String a = algorithm == null ? "RSA-2048" : algorithm.toUpperCase(Locale.ROOT);
            if (a.startsWith("RSA-")) {
                int bits = Integer.parseInt(a.substring(4));
                if (bits < 2048) {
                    throw new DkmInvalidRequestException(
                            "algorithm: RSA keys need at least 2048 bits, got " + bits);
                }
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(bits);
                return g.generateKeyPair();
            }
            if (a.equals("ED25519")) {
                return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            }
            if (a.equals("EC-P256")) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                return g.generateKeyPair();
            }
        } catch (GeneralSecurityException | NumberFormatException e) {
            throw new DkmInvalidRequestException("algorithm: cannot generate '" + algorithm + "'");
        }
        throw new DkmInvalidRequestException(
                "algorithm: one of RSA-2048, RSA-3072, RSA-4096, Ed25519, EC-P256; got '"
                        + algorithm
                        + "'");
    }

    private static KeyPair sameKindOfKeyPair(String algorithm, byte[] spki)
            throws DkmInvalidRequestException {
        PublicKey pub = SecretVersion.parsePublicKey(algorithm, spki, algorithm);
        if (pub instanceof RSAPublicKey) {
            return generateKeyPair(
                    "RSA-" + Math.max(2048, ((RSAPublicKey) pub).getModulus().bitLength()));
        }
        if (pub instanceof ECPublicKey) {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(((ECPublicKey) pub).getParams());
                return g.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new DkmInvalidRequestException(
                        "algorithm: cannot generate an EC key like the primary");
            }
        }
        return generateKeyPair("Ed25519");
    }

    @Override
    public String toString() {
        return "SecretMaterial[" + algorithm + "]";
    }
}
