package dev.mailsec.dkim.sign;

import dev.mailsec.shaded.bc.crypto.params.AsymmetricKeyParameter;
import dev.mailsec.shaded.bc.crypto.params.Ed25519PrivateKeyParameters;
import dev.mailsec.shaded.bc.crypto.signers.Ed25519Signer;
import dev.mailsec.shaded.bc.crypto.util.PrivateKeyFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A private key with the d= domain and s= selector it signs for. Immutable; {@link #toString()}
 * names the domain, selector and algorithm, never the key.
 */
public final class SigningKey {
    private static final Pattern LABELS =
            Pattern.compile(
                    "[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*");
    private static final int MIN_RSA_BITS = 2048;

    private final String domain;
    private final String selector;
    private final SigningAlgorithm algorithm;
    private final PrivateKey rsaKey;
    private final Ed25519PrivateKeyParameters ed25519Key;

    private SigningKey(
            String domain,
            String selector,
            SigningAlgorithm algorithm,
            PrivateKey rsaKey,
            Ed25519PrivateKeyParameters ed25519Key) {
        this.domain = domain;
        this.selector = selector;
        this.algorithm = algorithm;
        this.rsaKey = rsaKey;
        this.ed25519Key = ed25519Key;
    }

    /**
     * A key for {@code domain} published at {@code selector}._domainkey.{@code domain}. The
     * algorithm follows the key: RSA (at least 2048 bits) signs rsa-sha256, Ed25519 signs
     * ed25519-sha256.
     *
     * @throws IllegalArgumentException naming the bad domain, selector or key
     */
    public static SigningKey of(String domain, String selector, PrivateKey key) {
        Objects.requireNonNull(key, "key");
        String d = domain == null ? "" : domain.toLowerCase(Locale.ROOT);
        if (d.length() > 253 || !LABELS.matcher(d).matches()) {
            throw new IllegalArgumentException("domain: not a domain name: '" + domain + "'");
        }
        if (selector == null || selector.length() > 63 || !LABELS.matcher(selector).matches()) {
            throw new IllegalArgumentException(
                    "selector: not a DNS label sequence: '" + selector + "'");
        }
        SigningAlgorithm a = SigningAlgorithm.ofKeyAlgorithm(key.getAlgorithm());
        if (a == SigningAlgorithm.RSA_SHA256) {
            if (key instanceof RSAPrivateKey
                    && ((RSAPrivateKey) key).getModulus().bitLength() < MIN_RSA_BITS) {
                throw new IllegalArgumentException(
                        "key: RSA keys for DKIM need at least "
                                + MIN_RSA_BITS
                                + " bits, got "
                                + ((RSAPrivateKey) key).getModulus().bitLength());
            }
            return new SigningKey(d, selector, a, key, null);
        }
        if (a == SigningAlgorithm.ED25519_SHA256) {
            return new SigningKey(d, selector, a, null, ed25519(key));
        }
        throw new IllegalArgumentException(
                "key: " + key.getAlgorithm() + " keys cannot sign DKIM (RSA or Ed25519)");
    }

    private static Ed25519PrivateKeyParameters ed25519(PrivateKey key) {
        byte[] pkcs8 = key.getEncoded();
        if (pkcs8 == null) {
            throw new IllegalArgumentException(
                    "key: the Ed25519 key is not exportable (no PKCS#8 encoding)");
        }
        try {
            AsymmetricKeyParameter p = PrivateKeyFactory.createKey(pkcs8);
            if (p instanceof Ed25519PrivateKeyParameters) {
                return (Ed25519PrivateKeyParameters) p;
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("key: malformed Ed25519 PKCS#8 encoding", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        throw new IllegalArgumentException("key: not an Ed25519 key");
    }

    public String domain() {
        return domain;
    }

    public String selector() {
        return selector;
    }

    public SigningAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * Signs the header hash input of a DKIM signature (RFC 6376 section 3.7): RSASSA-PKCS1-v1_5
     * with SHA-256 on the JDK, or PureEdDSA over the data's SHA-256 (RFC 8463 section 3) with
     * Bouncy Castle.
     */
    public byte[] sign(byte[] headerData) {
        try {
            if (algorithm == SigningAlgorithm.ED25519_SHA256) {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(headerData);
                Ed25519Signer signer = new Ed25519Signer();
                signer.init(true, ed25519Key);
                signer.update(hash, 0, hash.length);
                return signer.generateSignature();
            }
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(rsaKey);
            s.update(headerData);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + this, e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[d="
                + domain
                + ", s="
                + selector
                + ", a="
                + algorithm.tag()
                + ", key redacted]";
    }
}
