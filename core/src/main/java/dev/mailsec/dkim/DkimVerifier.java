package dev.mailsec.dkim;

import dev.mailsec.dkim.internal.FromDomain;
import dev.mailsec.dkim.internal.HeaderField;
import dev.mailsec.dkim.internal.HeaderHashInput;
import dev.mailsec.dkim.internal.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
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
 *
 * <p>Rooms: {@link HeaderCollector} (the bounded header section, shared with the signer), {@link
 * KeyResolver} (key retrieval and the parsed-key cache), {@link SignatureCheck} (one signature's
 * tags, key and header signature), {@link BodyHashers} (one hasher per distinct body hash asked
 * for), {@link SignatureVerdicts} (body hash, policy and the reported result).
 */
public final class DkimVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(DkimVerifier.class);

    private final KeyResolver keys;
    private final DkimPolicy policy;

    public DkimVerifier(KeyRecordSource keys, DkimPolicy policy) {
        this.keys = new KeyResolver(Objects.requireNonNull(keys, "keys"));
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
        return new Session(BodyHashes.NONE);
    }

    /**
     * Starts the verification of one message whose body hashes are partly {@code known} (from an
     * earlier verifier of the same, unchanged body): those are not computed again.
     */
    public Session start(BodyHashes known) {
        return new Session(known);
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

    /**
     * Checks the DKIM-Signature fields of a header section collected once for several verifiers
     * (core's {@code InboundAuthentication}: DKIM and ARC of one message): the limits of this
     * verifier's policy, tags, keys and header signatures. The signatures still open register their
     * body hashers in {@code bodies}, which may be shared with other verifiers of the message (one
     * hasher per distinct body hash for all); feed the body to {@code bodies}, then call {@link
     * Checked#result()}. Never throws for any input.
     */
    public Checked check(CollectedHeader header, BodyHashers bodies) {
        Checked c = new Checked();
        c.check(header, bodies);
        return c;
    }

    /**
     * One message's DKIM signatures after the header checks, waiting for the body hashes. Not
     * thread-safe.
     */
    public final class Checked implements PendingVerdict<DkimVerification> {
        private final List<SignatureCheck> checks = new ArrayList<>();
        private DkimVerification result;
        private String fromDomain;
        private int ignored;

        private Checked() {}

        private void check(CollectedHeader header, BodyHashers bodies) {
            if (header.largerThan(policy.maxHeaderBytes())) {
                result =
                        overflow(
                                "header section larger than " + policy.maxHeaderBytes() + " bytes");
                return;
            }
            List<HeaderField> fields = header.fields(policy.maxHeaderFields());
            if (fields == null) {
                result = overflow("more than " + policy.maxHeaderFields() + " header fields");
                return;
            }
            fromDomain = FromDomain.of(fields);
            HeaderHashInput headers = new HeaderHashInput(fields);
            List<HeaderField> signatures = headers.named("dkim-signature");
            if (signatures.isEmpty()) {
                result = DkimVerification.none(fromDomain);
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
            boolean open = false;
            for (HeaderField f : signatures.subList(0, signatures.size() - ignored)) {
                SignatureCheck check = new SignatureCheck(f);
                checks.add(check);
                try {
                    check.evaluate(policy, keys, headers, lookups, bodies);
                    open = true;
                } catch (Verdict v) {
                    check.decide(v.result(), v.reason());
                }
            }
            if (!open) {
                result = verdicts();
            }
        }

        /** Whether the verdicts are known without the body: no signature waits for a body hash. */
        @Override
        public boolean needsBody() {
            return result == null;
        }

        /** The verdicts; the body hashers of {@link #check} must have had the whole body. */
        @Override
        public DkimVerification result() {
            if (result == null) {
                result = verdicts();
            }
            return result;
        }

        private DkimVerification verdicts() {
            List<DkimSignatureResult> out = new ArrayList<>(checks.size());
            for (SignatureCheck check : checks) {
                if (check.result == null) {
                    SignatureVerdicts.judgeBody(check, policy);
                }
                out.add(SignatureVerdicts.toResult(check));
            }
            return new DkimVerification(out, fromDomain, ignored);
        }
    }

    private static DkimVerification overflow(String reason) {
        return new DkimVerification(
                List.of(DkimSignatureResult.builder(DkimResult.PERMERROR).reason(reason).build()),
                null,
                0);
    }

    /**
     * One message's verification. Write the raw message (header section, empty line, body) into it;
     * bare LF line endings are accepted. {@link #decided()} once the header section held no {@code
     * DKIM-Signature} (or none whose body hash is still to check). Not thread-safe; never throws
     * for any input.
     */
    public final class Session extends VerifierSession<DkimVerification> {
        private Session(BodyHashes known) {
            super(policy, known);
        }

        @Override
        protected Checked check(CollectedHeader header, BodyHashers bodies) {
            return DkimVerifier.this.check(header, bodies);
        }
    }
}
