package dev.mailsec.arc;

import dev.mailsec.arc.ArcChain.ArcSet;
import dev.mailsec.dkim.BodyHashers;
import dev.mailsec.dkim.DkimSigner;
import dev.mailsec.dkim.HeaderCollector;
import dev.mailsec.dkim.SignatureFieldWriter;
import dev.mailsec.dkim.internal.BodyHasher;
import dev.mailsec.dkim.internal.Canonicalization;
import dev.mailsec.dkim.internal.HeaderField;
import dev.mailsec.dkim.internal.HeaderHashInput;
import dev.mailsec.dkim.sign.SigningKey;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Adds the next ARC set to a message (RFC 8617 section 5.1): an ARC-Authentication-Results copied
 * from our Authentication-Results, an ARC-Message-Signature written like our DKIM signatures
 * (relaxed/relaxed, SHA-256 body hash, {@link DkimSigner#DEFAULT_HEADERS} with From oversigned) and
 * an ARC-Seal over the ARC sets with the chain validation status as cv=. With cv=fail the seal
 * covers only its own set. A chain whose latest seal already says cv=fail, or that has {@value
 * ArcChain#MAX_INSTANCES} sets, is not sealed again. Keys are DKIM's {@link SigningKey}s
 * (rsa-sha256 or ed25519-sha256); the signature fields are written by DKIM's {@link
 * SignatureFieldWriter}. Thread-safe; each message gets its own {@link Session}.
 */
public final class ArcSealer {
    private static final int LINE = 78;

    private final Clock clock;

    public ArcSealer(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Session start() {
        return new Session();
    }

    /** What sealing gave: the three fields to put on top, or why the message was not sealed. */
    public static final class Seal {
        private final List<String> fields;
        private final int instance;
        private final ArcResult cv;
        private final String refused;

        Seal(List<String> fields, int instance, ArcResult cv, String refused) {
            this.fields = List.copyOf(fields);
            this.instance = instance;
            this.cv = cv;
            this.refused = refused;
        }

        /** ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results (each ending in CRLF). */
        public List<String> fields() {
            return fields;
        }

        public boolean sealed() {
            return refused == null;
        }

        public int instance() {
            return instance;
        }

        public ArcResult cv() {
            return cv;
        }

        /** Why the message was not sealed, or null. */
        public String refused() {
            return refused;
        }
    }

    /** One message being sealed: write its raw bytes, then call {@link #seal}. Not thread-safe. */
    public final class Session extends OutputStream {
        private final HeaderCollector header = new HeaderCollector(Integer.MAX_VALUE);
        private final BodyHasher body =
                new BodyHashers().forBody(Canonicalization.RELAXED, "SHA-256", -1);

        private Session() {}

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            int taken = header.complete() ? 0 : header.take(b, off, len);
            if (header.complete() && taken < len) {
                body.update(b, off + taken, len - taken);
            }
        }

        /**
         * Ends the message and seals it.
         *
         * @param key the sealer's key: its domain and selector go into d= and s=
         * @param authservId our authserv-id, used when {@code authResults} is null
         * @param authResults the value of our Authentication-Results field for this message ({@code
         *     authserv-id; results}), or null for {@code authservId; none}
         * @param chain the chain validation status found for the message: with sets present,
         *     anything but pass seals cv=fail
         */
        public Seal seal(SigningKey key, String authservId, String authResults, ArcResult chain) {
            List<HeaderField> fields = header.parse(Integer.MAX_VALUE).fields();
            ArcChain existing = ArcChain.parse(fields);
            int n = existing.instances();
            if (existing.endedByFail()) {
                return new Seal(List.of(), n, ArcResult.FAIL, "the chain already ended (cv=fail)");
            }
            if (n >= ArcChain.MAX_INSTANCES) {
                return new Seal(
                        List.of(),
                        n,
                        ArcResult.FAIL,
                        "already " + ArcChain.MAX_INSTANCES + " or more ARC sets");
            }
            ArcResult cv =
                    existing.isEmpty()
                            ? ArcResult.NONE
                            : existing.broken() || chain != ArcResult.PASS
                                    ? ArcResult.FAIL
                                    : ArcResult.PASS;
            int i = n + 1;
            long now = clock.instant().getEpochSecond();
            String aar = aar(i, authResults != null ? authResults : authservId + "; none");
            HeaderHashInput input = new HeaderHashInput(fields);
            List<String> h = signedHeaderNames(input);
            String bh = Base64.getEncoder().encodeToString(body.finish());
            String ams =
                    SignatureFieldWriter.signed(
                            "ARC-Message-Signature",
                            List.of(
                                    "i=" + i,
                                    "a=" + key.algorithm().tag(),
                                    "c=relaxed/relaxed",
                                    "d=" + key.domain(),
                                    "s=" + key.selector(),
                                    "t=" + now),
                            h,
                            bh,
                            key,
                            unsigned ->
                                    input.data(
                                            h,
                                            unsigned,
                                            unsigned.indexOf(':'),
                                            Canonicalization.RELAXED));
            List<String> covered = new ArrayList<>();
            if (cv != ArcResult.FAIL) {
                for (ArcSet s : existing.sets()) {
                    covered.add(s.aar.raw());
                    covered.add(s.ams.field.raw());
                    covered.add(s.seal.field.raw());
                }
            }
            covered.add(aar);
            covered.add(ams);
            String seal =
                    SignatureFieldWriter.signed(
                            "ARC-Seal",
                            List.of(
                                    "i=" + i,
                                    "cv=" + cv.keyword(),
                                    "a=" + key.algorithm().tag(),
                                    "d=" + key.domain(),
                                    "s=" + key.selector(),
                                    "t=" + now),
                            null,
                            null,
                            key,
                            unsigned -> ArcSignatures.sealData(covered, unsigned));
            return new Seal(List.of(seal, ams, aar), i, cv, null);
        }
    }

    /**
     * The AAR field: {@code i=N; } and the A-R value unfolded (whitespace runs made one space),
     * folded again after each "; " when longer than a line.
     */
    static String aar(int instance, String authResults) {
        StringBuilder plain = new StringBuilder();
        for (char c : authResults.toCharArray()) {
            if (c != '\r' && c != '\n') {
                plain.append(c);
            }
        }
        String text =
                "ARC-Authentication-Results: i="
                        + instance
                        + "; "
                        + plain.toString().trim().replaceAll("[ \t]+", " ");
        if (text.length() <= LINE) {
            return text + "\r\n";
        }
        return text.replace("; ", ";\r\n ") + "\r\n";
    }

    private static List<String> signedHeaderNames(HeaderHashInput input) {
        List<String> h = new ArrayList<>();
        for (String name : DkimSigner.DEFAULT_HEADERS) {
            int count = input.named(name).size();
            if (DkimSigner.DEFAULT_OVERSIGNED.contains(name)) {
                count++;
            }
            for (int k = 0; k < count; k++) {
                h.add(name);
            }
        }
        return h;
    }
}
