package dev.mailsec.dkim;

import dev.mailsec.dkim.internal.BodyHasher;
import dev.mailsec.dkim.internal.HeaderField;
import dev.mailsec.dkim.internal.HeaderHashInput;
import dev.mailsec.dkim.internal.KeyRecord;
import dev.mailsec.dkim.internal.SignatureTags;
import dev.mailsec.dkim.internal.Verdict;
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
        if (!key.verifies(tags.algorithm, tags.signature, data)) {
            throw new Verdict(
                    key.testing ? DkimResult.NEUTRAL : DkimResult.FAIL,
                    "signature did not verify" + (key.testing ? "; key in testing mode" : ""));
        }
        this.hasher = bodies.forSignature(tags);
    }
}
