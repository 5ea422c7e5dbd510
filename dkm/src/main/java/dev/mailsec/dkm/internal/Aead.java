package dev.mailsec.dkm.internal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM through the JDK's own provider (SunJCE, with CPU intrinsics). Output is {@code iv
 * (12) || ciphertext || tag (16)}. Every call carries associated data that names what the
 * ciphertext belongs to, so a ciphertext copied onto another secret, version or group fails to
 * open.
 */
public final class Aead {
    public static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(Aead::newCipher);

    private Aead() {}

    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    public static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    public static byte[] seal(byte[] key, byte[] plaintext, byte[] aad) {
        return seal(new SecretKeySpec(key, "AES"), plaintext, aad);
    }

    public static byte[] seal(SecretKey key, byte[] plaintext, byte[] aad) {
        byte[] iv = random(IV_BYTES);
        try {
            Cipher c = CIPHERS.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(aad);
            byte[] out = new byte[IV_BYTES + c.getOutputSize(plaintext.length)];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            c.doFinal(plaintext, 0, plaintext.length, out, IV_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-256-GCM encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Opens a sealed box; throws {@link TamperedException} when key, data or associated data
     * differ.
     */
    public static byte[] open(byte[] key, byte[] sealed, byte[] aad) throws TamperedException {
        return open(new SecretKeySpec(key, "AES"), sealed, aad);
    }

    public static byte[] open(SecretKey key, byte[] sealed, byte[] aad) throws TamperedException {
        if (sealed == null || sealed.length < IV_BYTES + TAG_BITS / 8) {
            throw new TamperedException("ciphertext too short");
        }
        try {
            Cipher c = CIPHERS.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            c.updateAAD(aad);
            return c.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw new TamperedException("authentication tag mismatch");
        } catch (GeneralSecurityException e) {
            throw new TamperedException("cannot decrypt: " + e.getClass().getSimpleName());
        }
    }

    public static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's SunJCE provider has no AES/GCM", e);
        }
    }

    /** A ciphertext that does not open: wrong key, changed bytes or changed associated data. */
    public static final class TamperedException extends Exception {
        private static final long serialVersionUID = 1L;

        public TamperedException(String message) {
            super(message);
        }
    }
}
