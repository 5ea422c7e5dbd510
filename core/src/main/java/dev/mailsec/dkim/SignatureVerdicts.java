package dev.mailsec.dkim;

import dev.mailsec.dkim.internal.BodyHasher;
import dev.mailsec.dkim.internal.KeyRecord;
import dev.mailsec.dkim.internal.SignatureTags;
import dev.mailsec.dkim.internal.SignatureTags.Algorithm;
import dev.mailsec.mail.DomainName;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The end of a signature's checks: the body hash and the policy rules that come after it (rsa-sha1,
 * short RSA keys, l=), then the {@link DkimSignatureResult} reported, with what could be read of a
 * signature that did not parse. Stateless.
 */
final class SignatureVerdicts {
    private SignatureVerdicts() {}

    /** Decides a signature that passed its header checks, once its body hasher is done. */
    static void judgeBody(SignatureCheck check, DkimPolicy policy) {
        SignatureTags tags = check.tags;
        KeyRecord key = check.key;
        BodyHasher h = check.hasher;
        byte[] hash = h.finish();
        String testing = key.testing ? "; key in testing mode" : "";
        DkimResult failure = key.testing ? DkimResult.NEUTRAL : DkimResult.FAIL;
        if (h.limitExceedsBody()) {
            check.decide(failure, "l= is longer than the body" + testing);
        } else if (!MessageDigest.isEqual(hash, tags.bodyHash)) {
            check.decide(failure, "body hash did not verify" + testing);
        } else if (tags.algorithm == Algorithm.RSA_SHA1) {
            check.decide(DkimResult.POLICY, "rsa-sha1 is not accepted (RFC 8301)");
        } else if (key.rsaKey != null && key.rsaBits() < policy.minRsaBits()) {
            check.decide(
                    DkimResult.POLICY,
                    "RSA key of " + key.rsaBits() + " bits is shorter than " + policy.minRsaBits());
        } else if (h.hasUnsignedContent() && policy.bodyLengthPolicy() == BodyLengthPolicy.POLICY) {
            check.decide(DkimResult.POLICY, "l= leaves part of the body unsigned");
        } else {
            check.decide(DkimResult.PASS, "");
        }
    }

    /** The reported result of a decided signature. */
    static DkimSignatureResult toResult(SignatureCheck check) {
        DkimSignatureResult.Builder b =
                DkimSignatureResult.builder(check.result).reason(check.reason);
        if (check.tags != null) {
            SignatureTags t = check.tags;
            b.domain(t.domain).selector(t.selector).algorithm(t.algorithm.tag).identity(t.identity);
        } else {
            Map<String, String> t = SignatureTags.bestEffortTags(check.field);
            String d = t.get("d");
            String s = t.get("s");
            String a = t.get("a");
            b.domain(DomainName.normalize(d).orElse(""));
            b.selector(DomainName.isValid(s) ? s : "");
            for (Algorithm known : Algorithm.values()) {
                if (known.tag.equalsIgnoreCase(a)) {
                    b.algorithm(known.tag);
                }
            }
        }
        b.bPrefix(
                check.tags != null
                        ? check.tags.bPrefix
                        : bPrefix(SignatureTags.bestEffortTags(check.field).get("b")));
        b.testing(check.key != null && check.key.testing);
        return b.build();
    }

    /** The first base64 characters of a b= value, or empty when it holds anything else. */
    static String bPrefix(String b) {
        if (b == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(DkimSignatureResult.B_PREFIX_LENGTH);
        for (int i = 0; i < b.length() && sb.length() < DkimSignatureResult.B_PREFIX_LENGTH; i++) {
            char c = b.charAt(i);
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '+'
                    || c == '/') {
                sb.append(c);
            } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return "";
            }
        }
        return sb.toString();
    }
}
