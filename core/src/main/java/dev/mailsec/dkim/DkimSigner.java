package dev.mailsec.dkim;

import dev.mailsec.dkim.internal.BodyHasher;
import dev.mailsec.dkim.internal.Canonicalization;
import dev.mailsec.dkim.internal.HeaderField;
import dev.mailsec.dkim.internal.HeaderHashInput;
import dev.mailsec.dkim.internal.HeaderSection;
import dev.mailsec.dkim.sign.SigningKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Signs messages with DKIM (RFC 6376; ed25519-sha256 per RFC 8463): relaxed/relaxed
 * canonicalisation, SHA-256, one signature per {@link SigningKey} (give an Ed25519 and an RSA key
 * for a dual signature). The message streams through once: the header section is collected, the
 * body goes through the same canonicalising hasher the verifier uses, and at the end each key signs
 * the header hash input.
 *
 * <p>Signed header fields: every field of the {@link #DEFAULT_HEADERS configured list} present in
 * the message, each occurrence once, and the {@link #DEFAULT_OVERSIGNED oversigned} names once more
 * than they occur (h= lists {@code from} twice for one From:), so nobody can add another From:
 * later without breaking the signature (RFC 6376 section 8.15).
 *
 * <p>Immutable and thread-safe; each message gets its own {@link Session}. The header section is
 * collected by the verifier's {@link HeaderCollector}; {@link SignatureFieldWriter} writes and
 * folds each DKIM-Signature field.
 */
public final class DkimSigner {

    /** RFC 6376 section 5.4.1's recommendations, plus MIME fields. Lower case, in h= order. */
    public static final List<String> DEFAULT_HEADERS =
            Collections.unmodifiableList(
                    Arrays.asList(
                            "from",
                            "reply-to",
                            "subject",
                            "date",
                            "to",
                            "cc",
                            "resent-date",
                            "resent-from",
                            "resent-to",
                            "resent-cc",
                            "in-reply-to",
                            "references",
                            "list-id",
                            "list-help",
                            "list-unsubscribe",
                            "list-unsubscribe-post",
                            "list-subscribe",
                            "list-post",
                            "list-owner",
                            "list-archive",
                            "message-id",
                            "mime-version",
                            "content-type",
                            "content-transfer-encoding",
                            "content-disposition"));

    /** Names signed once more than they occur: an added field of that name breaks the signature. */
    public static final Set<String> DEFAULT_OVERSIGNED = Collections.singleton("from");

    private final List<SigningKey> keys;
    private final List<String> headers;
    private final Set<String> oversigned;
    private final Clock clock;
    private final Duration lifetime;

    private DkimSigner(Builder b) {
        this.keys = Collections.unmodifiableList(new ArrayList<>(b.keys));
        this.headers = b.headers;
        this.oversigned = b.oversigned;
        this.clock = b.clock;
        this.lifetime = b.lifetime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A signer with the default header list; one signature per key, in the order given. */
    public static DkimSigner of(SigningKey... keys) {
        Builder b = builder();
        for (SigningKey k : keys) {
            b.key(k);
        }
        return b.build();
    }

    public List<SigningKey> keys() {
        return keys;
    }

    public List<String> headers() {
        return headers;
    }

    /** Starts signing one message: write its raw bytes, then call {@link Session#signatures()}. */
    public Session start() {
        return new Session();
    }

    /** The DKIM-Signature fields for the message read from {@code in}. */
    public List<String> sign(InputStream in) throws IOException {
        Session s = start();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            s.write(buf, 0, n);
        }
        return s.signatures();
    }

    /** The DKIM-Signature fields for a complete message. */
    public List<String> sign(byte[] message) {
        Session s = start();
        s.write(message, 0, message.length);
        return s.signatures();
    }

    /** The message with its DKIM-Signature fields put on top. */
    public byte[] signedMessage(byte[] message) {
        StringBuilder top = new StringBuilder();
        for (String f : sign(message)) {
            top.append(f);
        }
        byte[] head = top.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, head.length + message.length);
        System.arraycopy(message, 0, out, head.length, message.length);
        return out;
    }

    /**
     * One message being signed. Write the raw message (header section, empty line, body); bare LF
     * line endings are taken as CRLF, as the verifier does. Not thread-safe.
     */
    public final class Session extends OutputStream {
        private final HeaderCollector header = new HeaderCollector(Integer.MAX_VALUE);
        private final BodyHasher body =
                BodyHasher.create(Canonicalization.RELAXED, BodyHashers.digest("SHA-256"), -1);
        private List<String> result;

        private Session() {}

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (result != null) {
                throw new IllegalStateException("message already signed");
            }
            int taken = header.complete() ? 0 : header.take(b, off, len);
            if (header.complete() && taken < len) {
                body.update(b, off + taken, len - taken);
            }
        }

        /**
         * Ends the message and returns its DKIM-Signature fields (each ending in CRLF), to put on
         * top.
         */
        public List<String> signatures() {
            if (result == null) {
                HeaderSection section = header.parse(Integer.MAX_VALUE);
                String bh = Base64.getEncoder().encodeToString(body.finish());
                List<HeaderField> fields = section.fields();
                HeaderHashInput input = new HeaderHashInput(fields);
                List<String> h = signedHeaderNames(input);
                long now = clock.instant().getEpochSecond();
                List<String> out = new ArrayList<>(keys.size());
                for (SigningKey key : keys) {
                    out.add(SignatureFieldWriter.field(key, input, h, bh, now, lifetime));
                }
                result = Collections.unmodifiableList(out);
            }
            return result;
        }

        @Override
        public void close() {
            // nothing held open: signatures() ends the message
        }
    }

    private List<String> signedHeaderNames(HeaderHashInput input) {
        List<String> h = new ArrayList<>();
        for (String name : headers) {
            int count = input.named(name).size();
            if (oversigned.contains(name)) {
                count++;
            }
            for (int i = 0; i < count; i++) {
                h.add(name);
            }
        }
        return h;
    }

    /** Configures a {@link DkimSigner}. */
    public static final class Builder {
        private final List<SigningKey> keys = new ArrayList<>();
        private List<String> headers = DEFAULT_HEADERS;
        private Set<String> oversigned = DEFAULT_OVERSIGNED;
        private Clock clock = Clock.systemUTC();
        private Duration lifetime;

        private Builder() {}

        /** Adds a key: one signature per key, at most one key per algorithm. */
        public Builder key(SigningKey key) {
            keys.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * The header field names to sign, in h= order (case-insensitive). Must include {@code From}
         * (RFC 6376 section 5.4); {@code DKIM-Signature} cannot be listed.
         */
        public Builder headers(List<String> names) {
            Set<String> set = new LinkedHashSet<>();
            for (String n : names) {
                String l = n.trim().toLowerCase(Locale.ROOT);
                if (l.isEmpty() || !l.matches("[\\x21-\\x39\\x3b-\\x7e]+")) {
                    throw new IllegalArgumentException(
                            "headers: not a header field name: '" + n + "'");
                }
                if (l.equals("dkim-signature")) {
                    throw new IllegalArgumentException(
                            "headers: DKIM-Signature cannot be signed by itself");
                }
                set.add(l);
            }
            if (!set.contains("from")) {
                throw new IllegalArgumentException(
                        "headers: must include From (RFC 6376 section 5.4), got " + names);
            }
            this.headers = Collections.unmodifiableList(new ArrayList<>(set));
            return this;
        }

        /**
         * Names signed once more than they occur (default: From). Each must be in {@link #headers}.
         */
        public Builder oversigned(Set<String> names) {
            Set<String> set = new LinkedHashSet<>();
            for (String n : names) {
                set.add(n.trim().toLowerCase(Locale.ROOT));
            }
            this.oversigned = Collections.unmodifiableSet(set);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Adds x= (expiry) this long after t=; none by default. */
        public Builder lifetime(Duration lifetime) {
            if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
                throw new IllegalArgumentException("lifetime: must be positive, got " + lifetime);
            }
            this.lifetime = lifetime;
            return this;
        }

        public DkimSigner build() {
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("keys: at least one signing key is needed");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (SigningKey k : keys) {
                if (!seen.add(k.algorithm().tag())) {
                    throw new IllegalArgumentException("keys: two keys for " + k.algorithm().tag());
                }
            }
            for (String o : oversigned) {
                if (!headers.contains(o)) {
                    throw new IllegalArgumentException(
                            "oversigned: '" + o + "' is not among the signed headers");
                }
            }
            return new DkimSigner(this);
        }
    }
}
