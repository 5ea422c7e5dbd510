package dev.mailsec.arc;

import dev.mailsec.dkim.internal.Canonicalization;
import dev.mailsec.dkim.internal.HeaderField;
import dev.mailsec.dkim.internal.SignatureTags.Algorithm;
import dev.mailsec.dkim.internal.TagList;
import dev.mailsec.dkim.internal.Verdict;
import dev.mailsec.mail.DomainName;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tags of an ARC-Message-Signature (RFC 8617 section 4.1.2: a DKIM-Signature with i= the
 * instance and no v=) or an ARC-Seal (section 4.1.3: i=, cv=, a=, b=, d=, s=, t=; no h=, relaxed
 * header canonicalisation only), parsed strictly with DKIM's tag-list rules. rsa-sha1 is refused
 * (RFC 8301). Immutable.
 */
final class ArcTags {
    /** Longest AMS or AS field taken (as DKIM's signature field limit). */
    static final int MAX_FIELD_CHARS = 16 * 1024;

    final HeaderField field;
    final int instance;
    final Algorithm algorithm;
    final byte[] signature;
    final String domain;
    final String selector;

    /** AMS only (null, or -1 for the length, in an AS). */
    final byte[] bodyHash;

    final Canonicalization headerCanon;
    final Canonicalization bodyCanon;
    final List<String> signedHeaders;
    final long length;

    /** AS only: the cv= value (null in an AMS). */
    final ArcResult cv;

    private ArcTags(HeaderField field, Map<String, String> t, boolean seal) throws Verdict {
        this.field = field;
        for (String required :
                seal
                        ? new String[] {"i", "a", "b", "cv", "d", "s"}
                        : new String[] {"i", "a", "b", "bh", "d", "h", "s"}) {
            if (!t.containsKey(required)) {
                throw Verdict.permerror(what(seal) + " has no " + required + "= tag");
            }
        }
        this.instance = instance(t.get("i"));
        this.algorithm = Algorithm.of(t.get("a"));
        if (algorithm == null || algorithm == Algorithm.RSA_SHA1) {
            throw Verdict.permerror(what(seal) + ": unsupported algorithm");
        }
        this.signature = base64(t.get("b"));
        if (signature.length == 0) {
            throw Verdict.permerror(what(seal) + ": empty b= tag");
        }
        this.domain =
                DomainName.normalize(t.get("d"))
                        .orElseThrow(() -> Verdict.permerror(what(seal) + ": malformed d= tag"));
        if (!DomainName.isValid(t.get("s"))) {
            throw Verdict.permerror(what(seal) + ": malformed s= tag");
        }
        this.selector = t.get("s");
        if (seal) {
            if (t.containsKey("h")) {
                throw Verdict.permerror("ARC-Seal must not have an h= tag");
            }
            this.cv = ArcResult.fromKeyword(t.get("cv"));
            if (cv == null) {
                throw Verdict.permerror("ARC-Seal: cv= must be none, pass or fail");
            }
            this.bodyHash = null;
            this.headerCanon = Canonicalization.RELAXED;
            this.bodyCanon = null;
            this.signedHeaders = List.of();
            this.length = -1;
            return;
        }
        this.cv = null;
        this.bodyHash = base64(t.get("bh"));
        if (bodyHash.length != algorithm.hashLength) {
            throw Verdict.permerror("ARC-Message-Signature: bh= has the wrong length");
        }
        String c = t.get("c");
        Canonicalization[] canon = Canonicalization.parseTag(c);
        if (canon == null) {
            throw Verdict.permerror("ARC-Message-Signature: unsupported c= tag");
        }
        headerCanon = canon[0];
        bodyCanon = canon[1];
        this.signedHeaders = headerList(t.get("h"));
        if (signedHeaders.contains("arc-seal")) {
            throw Verdict.permerror("ARC-Message-Signature must not sign ARC-Seal");
        }
        this.length = length(t.get("l"));
    }

    /** Parses an ARC-Message-Signature field. */
    static ArcTags messageSignature(HeaderField field) throws Verdict {
        return parse(field, false);
    }

    /** Parses an ARC-Seal field. */
    static ArcTags seal(HeaderField field) throws Verdict {
        return parse(field, true);
    }

    private static ArcTags parse(HeaderField field, boolean seal) throws Verdict {
        if (field.raw().length() > MAX_FIELD_CHARS) {
            throw Verdict.permerror(what(seal) + " field too long");
        }
        return new ArcTags(field, TagList.parse(field.rawValue(), what(seal)), seal);
    }

    private static String what(boolean seal) {
        return seal ? "ARC-Seal" : "ARC-Message-Signature";
    }

    /** An i= value: 1 to {@link ArcChain#MAX_INSTANCES}, digits only. */
    static int instance(String v) throws Verdict {
        if (v == null || v.isEmpty() || v.length() > 3) {
            throw Verdict.permerror("malformed i= tag");
        }
        for (int k = 0; k < v.length(); k++) {
            if (v.charAt(k) < '0' || v.charAt(k) > '9') {
                throw Verdict.permerror("malformed i= tag");
            }
        }
        int i = Integer.parseInt(v);
        if (i < 1 || i > ArcChain.MAX_INSTANCES) {
            throw Verdict.permerror("i=" + i + " outside 1-" + ArcChain.MAX_INSTANCES);
        }
        return i;
    }

    private static List<String> headerList(String h) throws Verdict {
        List<String> names = new ArrayList<>();
        for (String name : TagList.stripFws(h).split(":", -1)) {
            if (name.isEmpty() || !name.chars().allMatch(ch -> ch >= 33 && ch <= 126)) {
                throw Verdict.permerror("ARC-Message-Signature: malformed h= tag");
            }
            names.add(name.toLowerCase(Locale.ROOT));
        }
        return Collections.unmodifiableList(names);
    }

    private static long length(String l) throws Verdict {
        if (l == null) {
            return -1;
        }
        if (l.isEmpty() || l.length() > 18 || !l.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw Verdict.permerror("ARC-Message-Signature: malformed l= tag");
        }
        return Long.parseLong(l);
    }

    private static byte[] base64(String value) throws Verdict {
        try {
            return Base64.getDecoder().decode(TagList.stripFws(value));
        } catch (IllegalArgumentException e) {
            throw Verdict.permerror("malformed base64");
        }
    }
}
