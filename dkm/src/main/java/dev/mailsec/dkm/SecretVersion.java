package dev.mailsec.dkm;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One decrypted version of a secret. Material is reached only through the explicitly named
 * accessors ({@link #value()}, {@link #secretKey()}, {@link #privateKey()}); {@link #toString()}
 * never shows it. Only the {@link VersionState#PRIMARY primary} version may be used for new work
 * (signing, encrypting); archived versions serve decryption and verification of old content.
 */
public final class SecretVersion {
    private final String name;
    private final SecretKind kind;
    private final int number;
    private final VersionState state;
    private final Instant createdAt;
    private final byte[] material;
    private final String algorithm;
    private final byte[] publicKey;
    private final List<byte[]> certificates;

    SecretVersion(
            String name,
            SecretKind kind,
            int number,
            VersionState state,
            Instant createdAt,
            byte[] material,
            String algorithm,
            byte[] publicKey,
            List<byte[]> certificates) {
        this.name = name;
        this.kind = kind;
        this.number = number;
        this.state = state;
        this.createdAt = createdAt;
        this.material = material;
        this.algorithm = algorithm;
        this.publicKey = publicKey;
        this.certificates = certificates == null ? Collections.<byte[]>emptyList() : certificates;
    }

    public String name() {
        return name;
    }

    public SecretKind kind() {
        return kind;
    }

    /** Version number, counted from 1. */
    public int number() {
        return number;
    }

    public VersionState state() {
        return state;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** True for the primary version only: the one to sign or encrypt new content with. */
    public boolean usableForNewWork() {
        return state == VersionState.PRIMARY;
    }

    /** The raw bytes of an {@link SecretKind#OPAQUE} secret (a copy). */
    public byte[] value() {
        requireKind(SecretKind.OPAQUE);
        return material.clone();
    }

    /** The AES key of a {@link SecretKind#SYMMETRIC} secret. */
    public SecretKey secretKey() {
        requireKind(SecretKind.SYMMETRIC);
        return new SecretKeySpec(material, "AES");
    }

    /** The private key of a {@link SecretKind#KEY_PAIR} secret. */
    public PrivateKey privateKey() {
        requireKind(SecretKind.KEY_PAIR);
        try {
            return KeyFactory.getInstance(algorithm)
                    .generatePrivate(new PKCS8EncodedKeySpec(material));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "stored "
                            + algorithm
                            + " private key of "
                            + name
                            + " v"
                            + number
                            + " does not parse",
                    e);
        }
    }

    /** The public key of a {@link SecretKind#KEY_PAIR} secret. */
    public PublicKey publicKey() {
        requireKind(SecretKind.KEY_PAIR);
        return parsePublicKey(algorithm, publicKey, name + " v" + number);
    }

    /**
     * Key algorithm of a key pair ({@code RSA}, {@code Ed25519}, {@code EC}); AES for symmetric
     * keys.
     */
    public String algorithm() {
        return algorithm;
    }

    /** Certificate chain of a key pair, leaf first; empty when none was stored. */
    public List<X509Certificate> certificateChain() {
        requireKind(SecretKind.KEY_PAIR);
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (byte[] der : certificates) {
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            }
            return Collections.unmodifiableList(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "stored certificate of " + name + " v" + number + " does not parse", e);
        }
    }

    static PublicKey parsePublicKey(String algorithm, byte[] spki, String what) {
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored public key of " + what + " does not parse", e);
        }
    }

    byte[] material() {
        return material;
    }

    private void requireKind(SecretKind wanted) {
        if (kind != wanted) {
            throw new IllegalStateException(name + " is a " + kind + " secret, not " + wanted);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SecretVersion)) {
            return false;
        }
        SecretVersion other = (SecretVersion) o;
        return name.equals(other.name)
                && number == other.number
                && state == other.state
                && Arrays.equals(material, other.material);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + number;
    }

    @Override
    public String toString() {
        return "SecretVersion["
                + name
                + " v"
                + number
                + " "
                + kind
                + " "
                + state
                + ", material redacted]";
    }
}
