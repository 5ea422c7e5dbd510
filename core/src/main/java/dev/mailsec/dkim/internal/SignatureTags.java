package dev.mailsec.dkim.internal;

import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.mail.DomainName;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A DKIM-Signature field, parsed and checked strictly (RFC 6376 sections 3.5 and 6.1.1). */
public final class SignatureTags {

    /**
     * The algorithms of the a= tag we know; rsa-sha1 is parsed so that it can be reported as such.
     */
    public enum Algorithm {
        RSA_SHA256("rsa-sha256", "rsa", "sha256", "SHA-256", 32),
        RSA_SHA1("rsa-sha1", "rsa", "sha1", "SHA-1", 20),
        ED25519_SHA256("ed25519-sha256", "ed25519", "sha256", "SHA-256", 32);

        public final String tag;
        public final String keyType;
        public final String hashName;
        public final String jcaDigest;
        public final int hashLength;

        Algorithm(String tag, String keyType, String hashName, String jcaDigest, int hashLength) {
            this.tag = tag;
            this.keyType = keyType;
            this.hashName = hashName;
            this.jcaDigest = jcaDigest;
            this.hashLength = hashLength;
        }

        public static Algorithm of(String tag) {
            for (Algorithm a : values()) {
                if (a.tag.equalsIgnoreCase(tag)) {
                    return a;
                }
            }
            return null;
        }
    }

    public final HeaderField field;
    public final Algorithm algorithm;
    public final byte[] signature;
    public final byte[] bodyHash;
    public final Canonicalization headerCanon;
    public final Canonicalization bodyCanon;
    public final String domain;
    public final List<String> signedHeaders;
    public final String identity;
    public final String identityDomain;
    public final long length;
    public final String selector;
    public final long timestamp;
    public final long expiration;

    /** The first characters of b= for reports (RFC 6008 header.b). */
    public final String bPrefix;

    private SignatureTags(HeaderField field, Map<String, String> t) throws Verdict {
        this.field = field;
        String v = t.get("v");
        if (v == null) {
            throw Verdict.permerror("signature has no v= tag");
        }
        if (!"1".equals(v)) {
            throw Verdict.permerror("unsupported signature version v=" + printable(v));
        }
        for (String required : new String[] {"a", "b", "bh", "d", "h", "s"}) {
            if (!t.containsKey(required)) {
                throw Verdict.permerror("signature has no " + required + "= tag");
            }
        }
        this.algorithm = Algorithm.of(t.get("a"));
        if (algorithm == null) {
            throw Verdict.permerror("unsupported algorithm a=" + printable(t.get("a")));
        }
        String b64 = TagList.stripFws(t.get("b"));
        this.signature = base64(b64, "b");
        this.bPrefix = b64.substring(0, Math.min(8, b64.length())).replace("=", "");
        if (signature.length == 0) {
            throw Verdict.permerror("empty b= tag");
        }
        this.bodyHash = base64(t.get("bh"), "bh");
        if (bodyHash.length != algorithm.hashLength) {
            throw Verdict.permerror("bh= has the wrong length for " + algorithm.tag);
        }
        String c = t.get("c");
        Canonicalization[] canon = Canonicalization.parseTag(c);
        if (canon == null) {
            throw Verdict.permerror("unsupported canonicalization c=" + printable(c));
        }
        headerCanon = canon[0];
        bodyCanon = canon[1];
        String d = t.get("d");
        this.domain =
                DomainName.normalize(d).orElseThrow(() -> Verdict.permerror("malformed d= tag"));
        String s = t.get("s");
        if (!DomainName.isValid(s)) {
            throw Verdict.permerror("malformed s= tag");
        }
        this.selector = s;
        this.signedHeaders = headerList(t.get("h"));
        if (!signedHeaders.contains("from")) {
            throw Verdict.permerror("From is not signed (h= must include it)");
        }
        String i = t.get("i");
        if (i == null) {
            this.identity = "";
            this.identityDomain = domain;
        } else {
            int at = i.lastIndexOf('@');
            String idDomain = at < 0 ? "" : i.substring(at + 1);
            if (at < 0
                    || !DomainName.isValid(idDomain)
                    || !i.substring(0, at).chars().allMatch(ch -> ch > 0x20 && ch < 0x7F)) {
                throw Verdict.permerror("malformed i= tag");
            }
            this.identityDomain = DomainName.normalize(idDomain).orElseThrow();
            if (!DomainName.isSameOrSubdomain(identityDomain, domain)) {
                throw Verdict.permerror("i= domain is not d= or a subdomain of it");
            }
            this.identity = i;
        }
        this.length = number(t.get("l"), "l", -1);
        String q = t.get("q");
        if (q != null) {
            boolean dns = false;
            for (String m : TagList.stripFws(q).split(":", -1)) {
                if (m.equalsIgnoreCase("dns/txt")) {
                    dns = true;
                }
            }
            if (!dns) {
                throw Verdict.permerror("unsupported query method q=" + printable(q));
            }
        }
        this.timestamp = number(t.get("t"), "t", -1);
        this.expiration = number(t.get("x"), "x", -1);
        if (timestamp >= 0 && expiration >= 0 && expiration <= timestamp) {
            throw Verdict.permerror("x= is not after t=");
        }
    }

    /** Parses and checks a DKIM-Signature field. */
    public static SignatureTags parse(HeaderField field) throws Verdict {
        if (field.raw().length() > DkimPolicy.MAX_SIGNATURE_FIELD_BYTES) {
            throw Verdict.permerror("signature field too long");
        }
        return new SignatureTags(field, TagList.parse(field.rawValue(), "signature"));
    }

    /**
     * Reads the few tags a report shows, from a field that may not parse: only well-formed values.
     */
    public static Map<String, String> bestEffortTags(HeaderField field) {
        if (field.raw().length() > DkimPolicy.MAX_SIGNATURE_FIELD_BYTES) {
            return Collections.emptyMap();
        }
        try {
            return TagList.parse(field.rawValue(), "signature");
        } catch (Verdict e) {
            return Collections.emptyMap();
        }
    }

    private static List<String> headerList(String h) throws Verdict {
        List<String> names = new ArrayList<>();
        for (String name : TagList.stripFws(h).split(":", -1)) {
            if (name.isEmpty()) {
                throw Verdict.permerror("malformed h= tag");
            }
            for (int k = 0; k < name.length(); k++) {
                char ch = name.charAt(k);
                if (ch < 33 || ch > 126) {
                    throw Verdict.permerror("malformed h= tag");
                }
            }
            names.add(name.toLowerCase(Locale.ROOT));
        }
        return Collections.unmodifiableList(names);
    }

    private static byte[] base64(String value, String tag) throws Verdict {
        try {
            return Base64.getDecoder().decode(TagList.stripFws(value));
        } catch (IllegalArgumentException e) {
            throw Verdict.permerror("malformed base64 in " + tag + "=");
        }
    }

    private static long number(String value, String tag, long absent) throws Verdict {
        if (value == null) {
            return absent;
        }
        if (value.isEmpty() || value.length() > 18) {
            throw Verdict.permerror("malformed " + tag + "= tag");
        }
        for (int k = 0; k < value.length(); k++) {
            if (value.charAt(k) < '0' || value.charAt(k) > '9') {
                throw Verdict.permerror("malformed " + tag + "= tag");
            }
        }
        return Long.parseLong(value);
    }

    /** A tag value safe to quote in a reason: printable ASCII, at most 40 chars. */
    static String printable(String v) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < v.length() && sb.length() < 40; k++) {
            char ch = v.charAt(k);
            if (ch > 0x20 && ch < 0x7F && ch != '(' && ch != ')' && ch != '\\') {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
