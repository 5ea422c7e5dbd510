package dev.mailsec.dkm.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals bytes to an identity's X25519 public key: an ephemeral X25519 agreement, HKDF-SHA256 (RFC
 * 5869, one output block) over the shared secret and both public keys, then AES-256-GCM. Only the
 * holder of the identity's private key (its credential file) can open it. All primitives are the
 * JDK's.
 */
public final class Sealing {
    private static final byte[] SALT = "mailsec-dkm seal v1".getBytes(StandardCharsets.US_ASCII);

    private Sealing() {}

    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK", e);
        }
    }

    public static PublicKey publicKey(byte[] x509) throws GeneralSecurityException {
        return KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(x509));
    }

    public static PrivateKey privateKey(byte[] pkcs8) throws GeneralSecurityException {
        return KeyFactory.getInstance("X25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    public static byte[] seal(PublicKey recipient, byte[] plaintext, byte[] aad) {
        try {
            KeyPair eph = newKeyPair();
            byte[] ephPub = eph.getPublic().getEncoded();
            byte[] kek = derive(eph.getPrivate(), recipient, ephPub, recipient.getEncoded());
            byte[] box = Aead.seal(kek, plaintext, aad);
            Aead.wipe(kek);
            Codec.Writer w = new Codec.Writer();
            w.bytes(ephPub).bytes(box);
            return w.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "X25519 sealing failed: " + e.getClass().getSimpleName(), e);
        }
    }

    public static byte[] open(PrivateKey own, PublicKey ownPublic, byte[] sealed, byte[] aad)
            throws Aead.TamperedException {
        try {
            Codec.Reader r = new Codec.Reader(sealed);
            byte[] ephPub = r.bytes();
            byte[] box = r.bytes();
            byte[] kek = derive(own, publicKey(ephPub), ephPub, ownPublic.getEncoded());
            try {
                return Aead.open(kek, box, aad);
            } finally {
                Aead.wipe(kek);
            }
        } catch (GeneralSecurityException | Codec.MalformedException e) {
            throw new Aead.TamperedException(
                    "sealed box is malformed: " + e.getClass().getSimpleName());
        }
    }

    private static byte[] derive(PrivateKey priv, PublicKey pub, byte[] ephPub, byte[] recipientPub)
            throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance("X25519");
        ka.init(priv);
        ka.doPhase(pub, true);
        byte[] shared = ka.generateSecret();
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(SALT, "HmacSHA256"));
            byte[] prk = extract.doFinal(shared);
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(prk, "HmacSHA256"));
            expand.update(ephPub);
            expand.update(recipientPub);
            expand.update((byte) 1);
            byte[] okm = expand.doFinal();
            Aead.wipe(prk);
            return Arrays.copyOf(okm, Aead.KEY_BYTES);
        } finally {
            Aead.wipe(shared);
        }
    }
}
