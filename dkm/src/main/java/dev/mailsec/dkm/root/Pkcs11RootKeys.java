package dev.mailsec.dkm.root;

import dev.mailsec.dkm.DkmIntegrityException;
import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.internal.Aead;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Customer Key: AES-256 root keys that never leave a PKCS#11 token, used through the JDK's
 * SunPKCS11 provider (tested with SoftHSM2). Keys are generated inside the token as sensitive,
 * unextractable objects and stored under the alias {@code mailsec-root-N}. The JDK 17 SunPKCS11
 * provider offers no key-wrap mode for AES, so wrapping is AES/GCM/NoPadding encryption of the raw
 * bytes to be protected.
 *
 * <p>The provider config file must make generated AES keys sensitive and unextractable; see
 * docs/dkm.md.
 */
public final class Pkcs11RootKeys implements RootKeys {
    private static final Pattern ALIAS = Pattern.compile("mailsec-root-(\\d+)");
    private static final Map<Path, Provider> PROVIDERS = new ConcurrentHashMap<>();
    private static final int IV_BYTES = 12;

    private final Provider provider;
    private final KeyStore keyStore;

    public Pkcs11RootKeys(Path config, char[] pin) throws DkmUnavailableException {
        Path cfg = config.toAbsolutePath().normalize();
        try {
            this.provider =
                    PROVIDERS.computeIfAbsent(
                            cfg,
                            p -> {
                                Provider base = Security.getProvider("SunPKCS11");
                                if (base == null) {
                                    throw new IllegalStateException(
                                            "this JDK has no SunPKCS11 provider");
                                }
                                return base.configure(p.toString());
                            });
            this.keyStore = KeyStore.getInstance("PKCS11", provider);
            keyStore.load(null, pin);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new DkmUnavailableException(
                    "rootKey: cannot log in to the PKCS#11 token configured in "
                            + cfg
                            + ": "
                            + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage()),
                    e);
        }
    }

    @Override
    public RootKey get(String id) throws DkmUnavailableException, DkmIntegrityException {
        String alias = alias(id);
        try {
            Key k = keyStore.getKey(alias, null);
            if (!(k instanceof SecretKey)) {
                throw new DkmIntegrityException(
                        "root key " + id + " does not exist in the PKCS#11 token");
            }
            return new TokenKey(id, (SecretKey) k);
        } catch (GeneralSecurityException e) {
            throw new DkmUnavailableException(
                    "PKCS#11 token: cannot find " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized RootKey create() throws DkmUnavailableException {
        try {
            int next = 1;
            for (String a : Collections.list(keyStore.aliases())) {
                Matcher m = ALIAS.matcher(a);
                if (m.matches()) {
                    next = Math.max(next, Integer.parseInt(m.group(1)) + 1);
                }
            }
            String alias = "mailsec-root-" + next;
            KeyGenerator gen = KeyGenerator.getInstance("AES", provider);
            gen.init(256);
            SecretKey session = gen.generateKey();
            keyStore.setEntry(alias, new KeyStore.SecretKeyEntry(session), null);
            Key stored = keyStore.getKey(alias, null);
            return new TokenKey("pkcs11:" + alias, (SecretKey) stored);
        } catch (GeneralSecurityException e) {
            throw new DkmUnavailableException(
                    "PKCS#11 token: cannot create a root key: " + e.getMessage(), e);
        }
    }

    @Override
    public void destroy(String id) throws DkmUnavailableException {
        try {
            keyStore.deleteEntry(alias(id));
        } catch (GeneralSecurityException e) {
            throw new DkmUnavailableException(
                    "PKCS#11 token: cannot delete " + id + ": " + e.getMessage(), e);
        }
    }

    private static String alias(String id) {
        if (!id.startsWith("pkcs11:") || !ALIAS.matcher(id.substring(7)).matches()) {
            throw new IllegalArgumentException("not a PKCS#11 root key id: " + id);
        }
        return id.substring(7);
    }

    private final class TokenKey implements RootKey {
        private final String id;
        private final SecretKey key;

        TokenKey(String id, SecretKey key) {
            this.id = id;
            this.key = key;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public byte[] wrap(byte[] plaintext, byte[] aad) throws DkmUnavailableException {
            byte[] iv = Aead.random(IV_BYTES);
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
                c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
                c.updateAAD(aad);
                byte[] ct = c.doFinal(plaintext);
                byte[] out = new byte[IV_BYTES + ct.length];
                System.arraycopy(iv, 0, out, 0, IV_BYTES);
                System.arraycopy(ct, 0, out, IV_BYTES, ct.length);
                return out;
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new DkmUnavailableException(
                        "PKCS#11 token: encryption with "
                                + id
                                + " failed: "
                                + e.getClass().getSimpleName(),
                        e);
            }
        }

        @Override
        public byte[] unwrap(byte[] wrapped, byte[] aad)
                throws DkmIntegrityException, DkmUnavailableException {
            if (wrapped.length < IV_BYTES + 16) {
                throw new DkmIntegrityException("value wrapped by " + id + " is truncated");
            }
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, wrapped, 0, IV_BYTES));
                c.updateAAD(aad);
                return c.doFinal(wrapped, IV_BYTES, wrapped.length - IV_BYTES);
            } catch (AEADBadTagException e) {
                throw new DkmIntegrityException(
                        "value wrapped by root key " + id + " does not open");
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new DkmUnavailableException(
                        "PKCS#11 token: decryption with "
                                + id
                                + " failed: "
                                + e.getClass().getSimpleName(),
                        e);
            }
        }

        @Override
        public String toString() {
            return "Pkcs11RootKey[" + id + "]";
        }
    }
}
