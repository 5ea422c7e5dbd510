package dev.mailsec.authentication;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JCA provider, put first for the length of a test, that counts the crypto work the engines ask
 * for (RSA verifications, bytes through SHA-256) and hands it to the JDK's own providers. Counts
 * what is done, whatever code path does it: a structural measure of speed that no machine load
 * changes.
 */
public final class CountingCrypto extends Provider {
    private static final long serialVersionUID = 1L;
    static final String NAME = "MailsecCountingCrypto";

    public static final AtomicLong RSA_VERIFICATIONS = new AtomicLong();
    public static final AtomicLong SHA256_BYTES = new AtomicLong();

    CountingCrypto() {
        super(NAME, "1.0", "counts RSA verifications and SHA-256 bytes");
        put("Signature.SHA256withRSA", Rsa.class.getName());
        put("MessageDigest.SHA-256", Sha256.class.getName());
    }

    public static void install() {
        Security.insertProviderAt(new CountingCrypto(), 1);
        reset();
    }

    public static void uninstall() {
        Security.removeProvider(NAME);
    }

    public static void reset() {
        RSA_VERIFICATIONS.set(0);
        SHA256_BYTES.set(0);
    }

    /** SHA256withRSA verification by SunRsaSign, counted. */
    public static final class Rsa extends SignatureSpi {
        private final Signature delegate;

        public Rsa() throws NoSuchAlgorithmException, NoSuchProviderException {
            delegate = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        }

        @Override
        protected void engineInitVerify(PublicKey key) throws InvalidKeyException {
            delegate.initVerify(key);
        }

        @Override
        protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
            delegate.initSign(key);
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            delegate.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
            delegate.update(b, off, len);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            return delegate.sign();
        }

        @Override
        protected boolean engineVerify(byte[] signature) throws SignatureException {
            RSA_VERIFICATIONS.incrementAndGet();
            return delegate.verify(signature);
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new UnsupportedOperationException();
        }
    }

    /** SUN's SHA-256, its input counted. */
    public static final class Sha256 extends MessageDigestSpi {
        private final MessageDigest delegate;

        public Sha256() throws NoSuchAlgorithmException, NoSuchProviderException {
            delegate = MessageDigest.getInstance("SHA-256", "SUN");
        }

        @Override
        protected void engineUpdate(byte b) {
            SHA256_BYTES.incrementAndGet();
            delegate.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) {
            SHA256_BYTES.addAndGet(len);
            delegate.update(b, off, len);
        }

        @Override
        protected byte[] engineDigest() {
            return delegate.digest();
        }

        @Override
        protected void engineReset() {
            delegate.reset();
        }

        @Override
        protected int engineGetDigestLength() {
            return 32;
        }
    }
}
