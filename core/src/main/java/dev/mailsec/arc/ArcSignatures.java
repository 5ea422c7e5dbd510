package dev.mailsec.arc;

import dev.mailsec.arc.ArcChain.ArcSet;
import dev.mailsec.dkim.DkimResult;
import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyResolver;
import dev.mailsec.dkim.internal.BodyHasher;
import dev.mailsec.dkim.internal.Canonicalization;
import dev.mailsec.dkim.internal.HeaderField;
import dev.mailsec.dkim.internal.HeaderHashInput;
import dev.mailsec.dkim.internal.KeyRecord;
import dev.mailsec.dkim.internal.TagList;
import dev.mailsec.dkim.internal.Verdict;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The signature checks of one message's ARC chain: an ARC-Message-Signature (DKIM's header hash
 * input and body hash), an ARC-Seal (RFC 8617 section 5.1.1: the ARC sets 1..i in order, each AAR,
 * AMS, AS, relaxed, the sealed AS with b= empty and no final CRLF), and the key of either through
 * DKIM's {@link KeyResolver}, with at most {@code maxLookups} distinct key names per message. Not
 * thread-safe: one per message.
 */
final class ArcSignatures {
    private final KeyResolver keys;
    private final int minRsaBits;
    private final int maxLookups;
    private final HeaderHashInput headers;
    private final Map<String, KeyLookup> lookups = new HashMap<>();

    ArcSignatures(
            KeyResolver keys, int minRsaBits, int maxLookups, List<HeaderField> headerFields) {
        this.keys = keys;
        this.minRsaBits = minRsaBits;
        this.maxLookups = maxLookups;
        this.headers = new HeaderHashInput(headerFields);
    }

    /** Why the AMS of this set does not validate, or null when it does. */
    String messageSignatureProblem(ArcSet set, BodyHasher body) {
        ArcTags t = set.ams;
        try {
            KeyRecord key = key(t);
            byte[] data =
                    headers.data(t.signedHeaders, t.field.raw(), t.field.colon(), t.headerCanon);
            if (!key.verifies(t.algorithm, t.signature, data)) {
                return "signature did not verify";
            }
            byte[] hash = body.finish();
            if (body.limitExceedsBody()) {
                return "l= is longer than the body";
            }
            if (!MessageDigest.isEqual(hash, t.bodyHash)) {
                return "body hash did not verify";
            }
            return null;
        } catch (Verdict v) {
            return v.reason();
        }
    }

    /** Why the AS of set {@code i} (1-based) does not validate, or null when it does. */
    String sealProblem(List<ArcSet> sets, int i) {
        ArcTags t = sets.get(i - 1).seal;
        try {
            KeyRecord key = key(t);
            List<String> covered = new ArrayList<>();
            for (int k = 0; k < i - 1; k++) {
                ArcSet s = sets.get(k);
                covered.add(s.aar.raw());
                covered.add(s.ams.field.raw());
                covered.add(s.seal.field.raw());
            }
            covered.add(sets.get(i - 1).aar.raw());
            covered.add(sets.get(i - 1).ams.field.raw());
            if (!key.verifies(t.algorithm, t.signature, sealData(covered, t.field.raw()))) {
                return "signature did not verify";
            }
            return null;
        } catch (Verdict v) {
            return v.reason();
        }
    }

    /**
     * What an ARC-Seal signs: the {@code covered} fields (raw, each ending in CRLF), relaxed, then
     * the seal's own field relaxed with its b= value removed and without the final CRLF.
     */
    static byte[] sealData(List<String> covered, String sealRaw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        for (String raw : covered) {
            byte[] c = HeaderField.canonical(raw, raw.indexOf(':'), Canonicalization.RELAXED);
            out.write(c, 0, c.length);
        }
        int colon = sealRaw.indexOf(':');
        byte[] own =
                HeaderField.canonical(
                        TagList.withoutBValue(sealRaw, colon), colon, Canonicalization.RELAXED);
        out.write(own, 0, own.length - 2);
        return out.toByteArray();
    }

    private KeyRecord key(ArcTags t) throws Verdict {
        String name = t.selector + "._domainkey." + t.domain;
        if (!lookups.containsKey(name) && lookups.size() >= maxLookups) {
            throw Verdict.permerror("more than " + maxLookups + " key lookups");
        }
        KeyRecord key = keys.key(t.selector, t.domain, lookups);
        if (!key.keyType.equals(t.algorithm.keyType)) {
            throw Verdict.permerror("key type does not match a=" + t.algorithm.tag);
        }
        if (!key.allowsHash(t.algorithm.hashName)) {
            throw Verdict.permerror("key does not allow " + t.algorithm.hashName);
        }
        if (key.rsaKey != null && key.rsaBits() < minRsaBits) {
            throw new Verdict(
                    DkimResult.POLICY,
                    "RSA key of " + key.rsaBits() + " bits is shorter than " + minRsaBits);
        }
        return key;
    }
}
