package dev.mailsec.dkim.internal;

import dev.mailsec.asn1.BerLimits;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.shaded.bc.asn1.ASN1Primitive;
import dev.mailsec.shaded.bc.crypto.params.Ed25519PublicKeyParameters;
import dev.mailsec.shaded.bc.crypto.signers.Ed25519Signer;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * A DKIM key record (RFC 6376 section 3.6.1, RFC 8463 for ed25519), parsed once and immutable, so
 * it can be cached and shared between threads.
 */
public final class KeyRecord {

    public final String keyType;

    /** Allowed hash algorithms (h=), or null for "any". */
    private final String[] hashes;

    public final boolean testing;
    public final boolean strictIdentity;
    public final RSAPublicKey rsaKey;
    public final Ed25519PublicKeyParameters ed25519Key;

    private KeyRecord(Map<String, String> t) throws Verdict {
        String v = t.get("v");
        if (v != null && (!"DKIM1".equals(v) || !"v".equals(t.keySet().iterator().next()))) {
            throw Verdict.permerror("key record has a bad v= tag");
        }
        String k = t.get("k");
        this.keyType = k == null ? "rsa" : k.toLowerCase(Locale.ROOT);
        if (!keyType.equals("rsa") && !keyType.equals("ed25519")) {
            throw Verdict.permerror("unknown key type k=" + SignatureTags.printable(k));
        }
        String h = t.get("h");
        this.hashes =
                h == null ? null : TagList.stripFws(h).toLowerCase(Locale.ROOT).split(":", -1);
        String s = t.get("s");
        if (s != null) {
            boolean email = false;
            for (String service : TagList.stripFws(s).split(":", -1)) {
                if (service.equals("*") || service.equalsIgnoreCase("email")) {
                    email = true;
                }
            }
            if (!email) {
                throw Verdict.permerror("key is not for email (s=)");
            }
        }
        boolean y = false;
        boolean strict = false;
        String flags = t.get("t");
        if (flags != null) {
            for (String flag : TagList.stripFws(flags).split(":", -1)) {
                y |= flag.equalsIgnoreCase("y");
                strict |= flag.equalsIgnoreCase("s");
            }
        }
        this.testing = y;
        this.strictIdentity = strict;
        String p = t.get("p");
        if (p == null) {
            throw Verdict.permerror("key record has no p= tag");
        }
        String p64 = TagList.stripFws(p);
        if (p64.isEmpty()) {
            throw Verdict.permerror("key revoked");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(p64);
        } catch (IllegalArgumentException e) {
            throw Verdict.permerror("malformed base64 in key p=");
        }
        if (keyType.equals("rsa")) {
            this.rsaKey = rsaKey(der);
            this.ed25519Key = null;
            int bits = rsaKey.getModulus().bitLength();
            if (bits > DkimPolicy.MAX_RSA_BITS) {
                throw Verdict.permerror(
                        "RSA key of " + bits + " bits is longer than " + DkimPolicy.MAX_RSA_BITS);
            }
            // a huge public exponent makes each check cost a private-key operation: refuse it
            if (rsaKey.getPublicExponent().bitLength() > 64) {
                throw Verdict.permerror("RSA key exponent longer than 64 bits");
            }
        } else {
            this.rsaKey = null;
            if (der.length != Ed25519PublicKeyParameters.KEY_SIZE) {
                throw Verdict.permerror("ed25519 key is not 32 bytes");
            }
            try {
                this.ed25519Key = new Ed25519PublicKeyParameters(der, 0);
            } catch (IllegalArgumentException e) {
                throw Verdict.permerror("invalid ed25519 key");
            }
        }
    }

    public static KeyRecord parse(String txt) throws Verdict {
        if (txt.length() > 8192) {
            throw Verdict.permerror("key record too long");
        }
        return new KeyRecord(TagList.parse(txt, "key record"));
    }

    /** True if the key allows the hash (h= absent or listing it). */
    public boolean allowsHash(String hashName) {
        if (hashes == null) {
            return true;
        }
        for (String h : hashes) {
            if (h.equals(hashName)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code signature} is this key's signature of {@code data} under {@code algorithm}
     * (for ed25519-sha256, RFC 8463 section 3: PureEdDSA over the SHA-256 of the data). Shared by
     * DKIM signatures and ARC's AMS and AS.
     */
    public boolean verifies(SignatureTags.Algorithm algorithm, byte[] signature, byte[] data) {
        if (algorithm == SignatureTags.Algorithm.ED25519_SHA256) {
            if (signature.length != 64 || ed25519Key == null) {
                return false;
            }
            byte[] hash;
            try {
                hash = MessageDigest.getInstance("SHA-256").digest(data);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks SHA-256", e);
            }
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(false, ed25519Key);
            signer.update(hash, 0, hash.length);
            return signer.verifySignature(signature);
        }
        if (rsaKey == null) {
            return false;
        }
        try {
            Signature s =
                    Signature.getInstance(
                            algorithm == SignatureTags.Algorithm.RSA_SHA1
                                    ? "SHA1withRSA"
                                    : "SHA256withRSA");
            s.initVerify(rsaKey);
            s.update(data);
            return s.verify(signature);
        } catch (SignatureException e) {
            return false; // e.g. b= of the wrong length for the key
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks RSA signature verification", e);
        }
    }

    public int rsaBits() {
        return rsaKey == null ? 0 : rsaKey.getModulus().bitLength();
    }

    /**
     * SubjectPublicKeyInfo as RFC 6376 asks; a bare PKCS#1 RSAPublicKey as some old records carry.
     */
    private static RSAPublicKey rsaKey(byte[] der) throws Verdict {
        try {
            BerLimits.check(der);
            KeyFactory kf = KeyFactory.getInstance("RSA");
            try {
                return (RSAPublicKey) kf.generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | ClassCastException spkiFailed) {
                dev.mailsec.shaded.bc.asn1.pkcs.RSAPublicKey pkcs1 =
                        dev.mailsec.shaded.bc.asn1.pkcs.RSAPublicKey.getInstance(
                                ASN1Primitive.fromByteArray(der));
                BigInteger modulus = pkcs1.getModulus();
                BigInteger exponent = pkcs1.getPublicExponent();
                if (modulus.signum() <= 0 || exponent.signum() <= 0 || exponent.bitLength() > 64) {
                    throw Verdict.permerror("malformed RSA key");
                }
                return (RSAPublicKey) kf.generatePublic(new RSAPublicKeySpec(modulus, exponent));
            }
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            // hostile DER: BC and the JDK signal it with assorted runtime exceptions
            throw Verdict.permerror("malformed RSA key");
        }
    }
}
