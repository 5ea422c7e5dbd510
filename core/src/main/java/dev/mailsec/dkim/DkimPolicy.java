package dev.mailsec.dkim;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** The verifier's knobs, with safe defaults. Immutable; build with {@link #builder()}. */
public final class DkimPolicy {

    public static final int DEFAULT_MAX_SIGNATURES = 5;

    /** RFC 8301 section 3.2: keys under 1024 bits must not be considered valid. */
    public static final int RFC8301_MIN_RSA_BITS = 1024;

    public static final int MAX_RSA_BITS = 8192;
    public static final Duration DEFAULT_CLOCK_DRIFT = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_HEADER_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_HEADER_FIELDS = 5000;

    /** Longest DKIM-Signature field we parse; an 8192-bit b= is about 1400 characters. */
    public static final int MAX_SIGNATURE_FIELD_BYTES = 16 * 1024;

    private final int maxSignatures;
    private final int minRsaBits;
    private final BodyLengthPolicy bodyLengthPolicy;
    private final Duration clockDrift;
    private final Clock clock;
    private final int maxHeaderBytes;
    private final int maxHeaderFields;

    private DkimPolicy(Builder b) {
        this.maxSignatures = b.maxSignatures;
        this.minRsaBits = b.minRsaBits;
        this.bodyLengthPolicy = b.bodyLengthPolicy;
        this.clockDrift = b.clockDrift;
        this.clock = b.clock;
        this.maxHeaderBytes = b.maxHeaderBytes;
        this.maxHeaderFields = b.maxHeaderFields;
    }

    public static DkimPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxSignatures() {
        return maxSignatures;
    }

    public int minRsaBits() {
        return minRsaBits;
    }

    public BodyLengthPolicy bodyLengthPolicy() {
        return bodyLengthPolicy;
    }

    public Duration clockDrift() {
        return clockDrift;
    }

    public Clock clock() {
        return clock;
    }

    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    public int maxHeaderFields() {
        return maxHeaderFields;
    }

    /** Builder; each setter rejects values outside its range with a message naming the knob. */
    public static final class Builder {
        private int maxSignatures = DEFAULT_MAX_SIGNATURES;
        private int minRsaBits = RFC8301_MIN_RSA_BITS;
        private BodyLengthPolicy bodyLengthPolicy = BodyLengthPolicy.POLICY;
        private Duration clockDrift = DEFAULT_CLOCK_DRIFT;
        private Clock clock = Clock.systemUTC();
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private int maxHeaderFields = DEFAULT_MAX_HEADER_FIELDS;

        private Builder() {}

        public Builder maxSignatures(int n) {
            if (n < 1 || n > 100) {
                throw new IllegalArgumentException(
                        "maxSignatures: must be between 1 and 100, got " + n);
            }
            this.maxSignatures = n;
            return this;
        }

        public Builder minRsaBits(int bits) {
            if (bits < RFC8301_MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw new IllegalArgumentException(
                        "minRsaBits: must be between "
                                + RFC8301_MIN_RSA_BITS
                                + " (RFC 8301) and "
                                + MAX_RSA_BITS
                                + ", got "
                                + bits);
            }
            this.minRsaBits = bits;
            return this;
        }

        public Builder bodyLengthPolicy(BodyLengthPolicy policy) {
            this.bodyLengthPolicy = Objects.requireNonNull(policy, "bodyLengthPolicy");
            return this;
        }

        public Builder clockDrift(Duration drift) {
            if (drift.isNegative() || drift.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException(
                        "clockDrift: must be between 0 and 1 day, got " + drift);
            }
            this.clockDrift = drift;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder maxHeaderBytes(int n) {
            if (n < 1024 || n > 64 * 1024 * 1024) {
                throw new IllegalArgumentException(
                        "maxHeaderBytes: must be between 1 KiB and 64 MiB, got " + n);
            }
            this.maxHeaderBytes = n;
            return this;
        }

        public Builder maxHeaderFields(int n) {
            if (n < 10 || n > 1_000_000) {
                throw new IllegalArgumentException(
                        "maxHeaderFields: must be between 10 and 1000000, got " + n);
            }
            this.maxHeaderFields = n;
            return this;
        }

        public DkimPolicy build() {
            return new DkimPolicy(this);
        }
    }
}
