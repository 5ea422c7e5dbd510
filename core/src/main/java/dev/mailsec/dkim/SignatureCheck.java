package dev.mailsec.dkim;

import dev.mailsec.dkim.internal.BodyHasher;
import dev.mailsec.dkim.internal.HeaderField;
import dev.mailsec.dkim.internal.HeaderHashInput;
import dev.mailsec.dkim.internal.KeyRecord;
import dev.mailsec.dkim.internal.SignatureTags;
import dev.mailsec.dkim.internal.SignatureTags.Algorithm;
import dev.mailsec.dkim.internal.Verdict;
import dev.mailsec.shaded.bc.crypto.signers.Ed25519Signer;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Map;

/**
 * The checks of one DKIM-Signature field up to its body hash: its tags, its time window, its key
 * (and whether the key allows it), and the signature over the header data. What is decided here is
 * {@link #result}; a signature still open waits for its {@link #hasher} at the end of the body
 * ({@link SignatureVerdicts}). Not thread-safe: one per signature and message.
 */
final class SignatureCheck {
    final HeaderField field;
    SignatureTags tags;
    KeyRecord key;
    BodyHasher hasher;
    DkimResult result;
    String reason = "";

    SignatureCheck(HeaderField field) {
        this.field = field;
    }

    void decide(DkimResult r, String why) {
        this.result = r;
        this.reason = why;
    }

    /**
     * Runs the header checks; a signature that passes them gets its body hasher from {@code
     * bodies}.
     *
     * @throws Verdict the signature's result, when decided before the body
     */
    void evaluate(
            DkimPolicy policy,
            KeyResolver keys,
            HeaderHashInput headers,
            Map<String, KeyLookup> lookups,
            BodyHashers bodies)
            throws Verdict {
        SignatureTags tags = SignatureTags.parse(field);
        this.tags = tags;
        long now = policy.clock().instant().getEpochSecond();
        long drift = policy.clockDrift().getSeconds();
        if (tags.expiration >= 0 && tags.expiration + drift < now) {
            throw new Verdict(DkimResult.POLICY, "signature expired");
        }
        if (tags.timestamp >= 0 && tags.timestamp > now + drift) {
            throw new Verdict(DkimResult.POLICY, "signature timestamp in the future");
        }
        KeyRecord key = keys.key(tags, lookups);
        this.key = key;
        if (!key.keyType.equals(tags.algorithm.keyType)) {
            throw Verdict.permerror(
                    "key type k=" + key.keyType + " does not match a=" + tags.algorithm.tag);
        }
        if (!key.allowsHash(tags.algorithm.hashName)) {
            throw Verdict.permerror("key does not allow " + tags.algorithm.hashName + " (h=)");
        }
        if (key.strictIdentity && !tags.identityDomain.equals(tags.domain)) {
            throw Verdict.permerror("key requires the i= domain to equal d= (t=s)");
        }
        byte[] data =
                headers.data(
                        tags.signedHeaders, tags.field.raw(), tags.field.colon(), tags.headerCanon);
        if (!signatureVerifies(tags, key, data)) {
            throw new Verdict(
                    key.testing ? DkimResult.NEUTRAL : DkimResult.FAIL,
                    "signature did not verify" + (key.testing ? "; key in testing mode" : ""));
        }
        this.hasher = bodies.forSignature(tags);
    }

    private static boolean signatureVerifies(SignatureTags tags, KeyRecord key, byte[] data) {
        if (tags.algorithm == Algorithm.ED25519_SHA256) {
            // RFC 8463 section 3: PureEdDSA over the SHA-256 of the header data
            if (tags.signature.length != 64) {
                return false;
            }
            byte[] hash = BodyHashers.digest("SHA-256").digest(data);
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(false, key.ed25519Key);
            signer.update(hash, 0, hash.length);
            return signer.verifySignature(tags.signature);
        }
        try {
            Signature s =
                    Signature.getInstance(
                            tags.algorithm == Algorithm.RSA_SHA1 ? "SHA1withRSA" : "SHA256withRSA");
            s.initVerify(key.rsaKey);
            s.update(data);
            return s.verify(tags.signature);
        } catch (SignatureException e) {
            return false; // e.g. b= of the wrong length for the key
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks RSA signature verification", e);
        }
    }
}
