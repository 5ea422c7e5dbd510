package dev.mailsec.dkim;

import dev.mailsec.dkim.internal.BodyHasher;
import dev.mailsec.dkim.internal.FromDomain;
import dev.mailsec.dkim.internal.HeaderField;
import dev.mailsec.dkim.internal.HeaderHashInput;
import dev.mailsec.dkim.internal.HeaderSection;
import dev.mailsec.dkim.internal.KeyRecord;
import dev.mailsec.dkim.internal.SignatureTags;
import dev.mailsec.dkim.internal.SignatureTags.Algorithm;
import dev.mailsec.dkim.internal.Verdict;
import dev.mailsec.mail.DomainName;
import dev.mailsec.shaded.bc.crypto.signers.Ed25519Signer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the DKIM signatures of a message (RFC 6376, RFC 8463, RFC 8301) in one pass over its
 * bytes: the header section is collected (bounded), keys are fetched, header signatures are
 * checked, then the body streams through one canonicalising hasher per distinct (canonicalisation,
 * hash, l=) into the JDK's digests. Nothing is parsed as MIME.
 *
 * <p>Thread-safe and meant to be shared: each message gets its own {@link Session}. Hostile input
 * ends in a {@link DkimResult#PERMERROR} or {@link DkimResult#FAIL} result, never an exception;
 * time and memory are bounded by {@link DkimPolicy} (header size and count, signatures checked) and
 * are linear in the body size otherwise.
 */
public final class DkimVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(DkimVerifier.class);
    private static final int KEY_CACHE_SIZE = 512;

    private final KeyRecordSource keys;
    private final DkimPolicy policy;

    /** Parsed key records by their text: a KeyRecord or the Verdict its parsing gave. */
    private final Map<String, Object> parsedKeys =
            new LinkedHashMap<String, Object>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                    return size() > KEY_CACHE_SIZE;
                }
            };

    public DkimVerifier(KeyRecordSource keys, DkimPolicy policy) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public DkimPolicy policy() {
        return policy;
    }

    /**
     * Starts the verification of one message: write its bytes to the session, then call {@link
     * Session#result()}.
     */
    public Session start() {
        return new Session();
    }

    /** Verifies a message read to its end from {@code in}. */
    public DkimVerification verify(InputStream in) throws IOException {
        Session s = start();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            s.write(buf, 0, n);
        }
        return s.result();
    }

    /** Verifies a complete message. */
    public DkimVerification verify(byte[] message) {
        Session s = start();
        s.write(message, 0, message.length);
        return s.result();
    }

    private KeyRecord parseKey(String txt) throws Verdict {
        Object cached;
        synchronized (parsedKeys) {
            cached = parsedKeys.get(txt);
        }
        if (cached == null) {
            try {
                cached = KeyRecord.parse(txt);
            } catch (Verdict v) {
                cached = v;
            }
            synchronized (parsedKeys) {
                parsedKeys.put(txt, cached);
            }
        }
        if (cached instanceof Verdict) {
            throw (Verdict) cached;
        }
        return (KeyRecord) cached;
    }

    /** The checks of one signature. */
    private static final class Check {
        final HeaderField field;
        SignatureTags tags;
        KeyRecord key;
        BodyHasher hasher;
        DkimResult result;
        String reason = "";

        Check(HeaderField field) {
            this.field = field;
        }

        void decide(DkimResult r, String why) {
            this.result = r;
            this.reason = why;
        }
    }

    /**
     * One message's verification. Write the raw message (header section, empty line, body) into it;
     * bare LF line endings are accepted. Not thread-safe; never throws for any input.
     */
    public final class Session extends OutputStream {
        private static final int HEADERS = 0;
        private static final int BODY = 1;
        private static final int DONE = 2;

        private int state = HEADERS;
        private byte[] header = new byte[4096];
        private int headerLen;
        private int lineStart;
        private final List<Check> checks = new ArrayList<>();
        private final Map<String, BodyHasher> hashers = new LinkedHashMap<>();
        private BodyHasher[] hasherArray = new BodyHasher[0];
        private DkimVerification result;
        private String fromDomain;
        private int ignored;

        private Session() {}

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (state == HEADERS) {
                int end = off + len;
                int i = off;
                while (i < end && state == HEADERS) {
                    int j = i;
                    while (j < end && b[j] != '\n') {
                        j++;
                    }
                    int n = (j < end ? j + 1 : end) - i;
                    if (headerLen + n > header.length) {
                        if (headerLen + n > policy.maxHeaderBytes()) {
                            overflow(
                                    "header section larger than "
                                            + policy.maxHeaderBytes()
                                            + " bytes");
                            return;
                        }
                        header =
                                java.util.Arrays.copyOf(
                                        header,
                                        Math.min(
                                                policy.maxHeaderBytes(),
                                                Math.max(headerLen + n, headerLen * 2)));
                    }
                    System.arraycopy(b, i, header, headerLen, n);
                    headerLen += n;
                    i += n;
                    if (j < end) {
                        int lineLen = headerLen - lineStart;
                        if (lineLen == 1 || (lineLen == 2 && header[lineStart] == '\r')) {
                            endHeaders(lineStart); // the empty line that ends the header section
                        } else {
                            lineStart = headerLen;
                        }
                    }
                }
                off = i;
                len = end - i;
            }
            if (state == BODY && len > 0) {
                for (BodyHasher h : hasherArray) {
                    h.update(b, off, len);
                }
            }
        }

        private void overflow(String reason) {
            header = null;
            result =
                    new DkimVerification(
                            List.of(
                                    DkimSignatureResult.builder(DkimResult.PERMERROR)
                                            .reason(reason)
                                            .build()),
                            null,
                            0);
            state = DONE;
        }

        /** Finishes the message (if not yet done) and returns the verdicts. */
        public DkimVerification result() {
            close();
            return result;
        }

        @Override
        public void close() {
            if (state == HEADERS) {
                // the message ended inside its header section: no body
                endHeaders(headerLen);
            }
            if (state == BODY) {
                state = DONE;
                finishBody();
            }
        }

        private void endHeaders(int sectionLength) {
            HeaderSection section =
                    HeaderSection.parse(header, sectionLength, policy.maxHeaderFields());
            header = null;
            if (section == null) {
                overflow("more than " + policy.maxHeaderFields() + " header fields");
                return;
            }
            List<HeaderField> fields = section.fields();
            fromDomain = FromDomain.of(fields);
            HeaderHashInput headers = new HeaderHashInput(fields);
            List<HeaderField> signatures = headers.named("dkim-signature");
            if (signatures.isEmpty()) {
                result = DkimVerification.none(fromDomain);
                state = DONE;
                return;
            }
            ignored = Math.max(0, signatures.size() - policy.maxSignatures());
            if (ignored > 0) {
                LOG.debug(
                        "{} DKIM signatures beyond the maximum of {} not checked",
                        ignored,
                        policy.maxSignatures());
            }
            Map<String, KeyLookup> lookups = new HashMap<>();
            for (HeaderField f : signatures.subList(0, signatures.size() - ignored)) {
                Check check = new Check(f);
                checks.add(check);
                try {
                    evaluate(check, headers, lookups);
                } catch (Verdict v) {
                    check.decide(v.result(), v.reason());
                }
            }
            hasherArray = hashers.values().toArray(new BodyHasher[0]);
            if (hasherArray.length == 0) {
                state = DONE;
                finishBody();
            } else {
                state = BODY;
            }
        }

        private void evaluate(Check check, HeaderHashInput headers, Map<String, KeyLookup> lookups)
                throws Verdict {
            SignatureTags tags = SignatureTags.parse(check.field);
            check.tags = tags;
            long now = policy.clock().instant().getEpochSecond();
            long drift = policy.clockDrift().getSeconds();
            if (tags.expiration >= 0 && tags.expiration + drift < now) {
                throw new Verdict(DkimResult.POLICY, "signature expired");
            }
            if (tags.timestamp >= 0 && tags.timestamp > now + drift) {
                throw new Verdict(DkimResult.POLICY, "signature timestamp in the future");
            }
            KeyRecord key = key(tags, lookups);
            check.key = key;
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
                            tags.signedHeaders,
                            tags.field.raw(),
                            tags.field.colon(),
                            tags.headerCanon);
            if (!signatureVerifies(tags, key, data)) {
                throw new Verdict(
                        key.testing ? DkimResult.NEUTRAL : DkimResult.FAIL,
                        "signature did not verify" + (key.testing ? "; key in testing mode" : ""));
            }
            String hasherKey =
                    tags.bodyCanon.keyword() + "/" + tags.algorithm.jcaDigest + "/" + tags.length;
            BodyHasher hasher = hashers.get(hasherKey);
            if (hasher == null) {
                hasher =
                        BodyHasher.create(
                                tags.bodyCanon, digest(tags.algorithm.jcaDigest), tags.length);
                hashers.put(hasherKey, hasher);
            }
            check.hasher = hasher;
        }

        private KeyRecord key(SignatureTags tags, Map<String, KeyLookup> lookups) throws Verdict {
            String name = tags.selector + "._domainkey." + tags.domain;
            if (name.length() > 253) {
                throw Verdict.permerror("key name too long");
            }
            KeyLookup lookup = lookups.get(name);
            if (lookup == null) {
                try {
                    lookup = keys.lookup(name);
                } catch (RuntimeException e) {
                    // a broken source must not lose the mail: report a temporary error and say why
                    // in the log
                    LOG.warn("key lookup for {} failed", name, e);
                    lookup = KeyLookup.temporaryFailure("key lookup failed");
                }
                lookups.put(name, lookup);
            }
            switch (lookup.status()) {
                case NOT_FOUND:
                    throw Verdict.permerror("no key for signature" + detail(lookup));
                case TEMPORARY_FAILURE:
                    throw new Verdict(DkimResult.TEMPERROR, "key lookup failed" + detail(lookup));
                default:
                    break;
            }
            if (lookup.records().size() > 1) {
                throw Verdict.permerror("several key records at " + name);
            }
            return parseKey(lookup.records().get(0));
        }

        private String detail(KeyLookup lookup) {
            return lookup.detail().isEmpty() ? "" : ": " + lookup.detail();
        }

        private boolean signatureVerifies(SignatureTags tags, KeyRecord key, byte[] data) {
            if (tags.algorithm == Algorithm.ED25519_SHA256) {
                // RFC 8463 section 3: PureEdDSA over the SHA-256 of the header data
                if (tags.signature.length != 64) {
                    return false;
                }
                byte[] hash = digest("SHA-256").digest(data);
                Ed25519Signer signer = new Ed25519Signer();
                signer.init(false, key.ed25519Key);
                signer.update(hash, 0, hash.length);
                return signer.verifySignature(tags.signature);
            }
            try {
                Signature s =
                        Signature.getInstance(
                                tags.algorithm == Algorithm.RSA_SHA1
                                        ? "SHA1withRSA"
                                        : "SHA256withRSA");
                s.initVerify(key.rsaKey);
                s.update(data);
                return s.verify(tags.signature);
            } catch (java.security.SignatureException e) {
                return false; // e.g. b= of the wrong length for the key
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks RSA signature verification", e);
            }
        }

        private void finishBody() {
            List<DkimSignatureResult> out = new ArrayList<>(checks.size());
            for (Check check : checks) {
                if (check.result == null) {
                    judgeBody(check);
                }
                out.add(toResult(check));
            }
            result = new DkimVerification(out, fromDomain, ignored);
        }

        private void judgeBody(Check check) {
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
                        "RSA key of "
                                + key.rsaBits()
                                + " bits is shorter than "
                                + policy.minRsaBits());
            } else if (h.hasUnsignedContent()
                    && policy.bodyLengthPolicy() == BodyLengthPolicy.POLICY) {
                check.decide(DkimResult.POLICY, "l= leaves part of the body unsigned");
            } else {
                check.decide(DkimResult.PASS, "");
            }
        }

        private DkimSignatureResult toResult(Check check) {
            DkimSignatureResult.Builder b =
                    DkimSignatureResult.builder(check.result).reason(check.reason);
            if (check.tags != null) {
                SignatureTags t = check.tags;
                b.domain(t.domain)
                        .selector(t.selector)
                        .algorithm(t.algorithm.tag)
                        .identity(t.identity);
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
    }

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

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + name, e);
        }
    }
}
