package dev.mailsec.arc;

import dev.mailsec.arc.ArcChain.ArcSet;
import dev.mailsec.dkim.BodyHashers;
import dev.mailsec.dkim.BodyHashes;
import dev.mailsec.dkim.CollectedHeader;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dkim.KeyResolver;
import dev.mailsec.dkim.PendingVerdict;
import dev.mailsec.dkim.VerifierSession;
import dev.mailsec.dkim.internal.BodyHasher;
import dev.mailsec.dkim.internal.HeaderField;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Validates the ARC chain of a message (RFC 8617 section 5.2) in one pass over its bytes, with
 * DKIM's header collector, canonicalising body hashers and key resolver: the structure first
 * ({@link ArcChain}, no DNS), then the ARC-Message-Signature of the latest set, then every ARC-Seal
 * from the latest down, then, for oldest-pass, the older AMS from the latest down to the first that
 * fails. The first failure decides ({@code arc=fail} with the reason).
 *
 * <p>Bounds: the header section as {@link DkimPolicy} bounds it, at most {@value
 * ArcChain#MAX_INSTANCES} sets (more fail before any key is fetched), at most {@code maxKeyLookups}
 * distinct key names per message (default {@value #DEFAULT_MAX_KEY_LOOKUPS}), RSA keys of at least
 * the policy's {@code minRsaBits}. Thread-safe and shared; each message gets its own {@link
 * Session}, which never throws.
 */
public final class ArcVerifier {
    public static final int DEFAULT_MAX_KEY_LOOKUPS = 16;

    private final KeyResolver keys;
    private final DkimPolicy policy;
    private final int maxKeyLookups;

    public ArcVerifier(KeyRecordSource keys, DkimPolicy policy) {
        this(keys, policy, DEFAULT_MAX_KEY_LOOKUPS);
    }

    public ArcVerifier(KeyRecordSource keys, DkimPolicy policy, int maxKeyLookups) {
        if (maxKeyLookups < 1 || maxKeyLookups > 2 * ArcChain.MAX_INSTANCES) {
            throw new IllegalArgumentException(
                    "maxKeyLookups: must be 1-"
                            + 2 * ArcChain.MAX_INSTANCES
                            + ", got "
                            + maxKeyLookups);
        }
        this.keys = new KeyResolver(Objects.requireNonNull(keys, "keys"));
        this.policy = Objects.requireNonNull(policy, "policy");
        this.maxKeyLookups = maxKeyLookups;
    }

    public DkimPolicy policy() {
        return policy;
    }

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

    public ArcVerification verify(byte[] message) {
        Session s = start();
        s.write(message, 0, message.length);
        return s.result();
    }

    public ArcVerification verify(InputStream in) throws IOException {
        Session s = start();
        in.transferTo(s);
        return s.result();
    }

    /**
     * Checks the ARC structure of a header section collected once for several verifiers (core's
     * {@code InboundAuthentication}) under this verifier's limits, and registers the body hashes
     * its ARC-Message-Signatures ask for in {@code bodies}, which may be shared with DKIM (one
     * hasher per distinct body hash for all); feed the body to {@code bodies}, then call {@link
     * Checked#result()}. Never throws for any input.
     */
    public Checked check(CollectedHeader header, BodyHashers bodies) {
        Checked c = new Checked();
        c.check(header, bodies);
        return c;
    }

    /** One message's ARC chain after the structure checks, waiting for the body hashes. */
    public final class Checked implements PendingVerdict<ArcVerification> {
        private final List<BodyHasher> amsBodies = new ArrayList<>();
        private ArcChain chain;
        private ArcSignatures signatures;
        private ArcVerification result;

        private Checked() {}

        private void check(CollectedHeader header, BodyHashers bodies) {
            if (header.largerThan(policy.maxHeaderBytes())) {
                result =
                        ArcVerification.unreadable(
                                "header section larger than " + policy.maxHeaderBytes() + " bytes");
                return;
            }
            List<HeaderField> fields = header.fields(policy.maxHeaderFields());
            if (fields == null) {
                result =
                        ArcVerification.unreadable(
                                "more than " + policy.maxHeaderFields() + " header fields");
                return;
            }
            chain = ArcChain.parse(fields);
            if (chain.isEmpty()) {
                result = ArcVerification.none();
            } else if (chain.broken()) {
                result = ArcVerification.fail(chain, chain.problem());
            } else {
                for (ArcSet set : chain.sets()) {
                    amsBodies.add(
                            bodies.forBody(
                                    set.ams.bodyCanon,
                                    set.ams.algorithm.jcaDigest,
                                    set.ams.length));
                }
                signatures = new ArcSignatures(keys, policy.minRsaBits(), maxKeyLookups, fields);
            }
        }

        /** Whether the verdict needs the body: a sound chain whose signatures are to check. */
        @Override
        public boolean needsBody() {
            return result == null;
        }

        /** The verdict; the body hashers of {@link #check} must have had the whole body. */
        @Override
        public ArcVerification result() {
            if (result == null) {
                result = validate();
            }
            return result;
        }

        private ArcVerification validate() {
            List<ArcSet> sets = chain.sets();
            int n = sets.size();
            String why = signatures.messageSignatureProblem(sets.get(n - 1), amsBodies.get(n - 1));
            if (why != null) {
                return ArcVerification.fail(chain, "ARC-Message-Signature " + n + ": " + why);
            }
            for (int i = n; i >= 1; i--) {
                why = signatures.sealProblem(sets, i);
                if (why != null) {
                    return ArcVerification.fail(chain, "ARC-Seal " + i + ": " + why);
                }
            }
            int oldestPass = 0;
            for (int i = n - 1; i >= 1; i--) {
                if (signatures.messageSignatureProblem(sets.get(i - 1), amsBodies.get(i - 1))
                        != null) {
                    oldestPass = i + 1;
                    break;
                }
            }
            return new ArcVerification(
                    ArcResult.PASS, n, oldestPass, "", chain.sealers(), chain.aars());
        }
    }

    /** One message's validation: write the raw message, then call {@link #result()}. */
    public final class Session extends VerifierSession<ArcVerification> {
        private Session(BodyHashes known) {
            super(policy, known);
        }

        @Override
        protected Checked check(CollectedHeader header, BodyHashers bodies) {
            return ArcVerifier.this.check(header, bodies);
        }
    }
}
