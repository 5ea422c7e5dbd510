package dev.mailsec.tls.connector;

import java.util.Objects;
import java.util.Optional;

/**
 * The decision for one incoming mail: not covered by any connector, covered and compliant, or
 * covered and in violation, with a reason a sender's postmaster can act on, e.g. {@code
 * partner.test requires TLSv1.2 or newer, got TLSv1.1 (connector partner)}.
 */
public final class InboundVerdict {

    /** Outcome of the check. */
    public enum Status {
        NOT_COVERED,
        COMPLIANT,
        VIOLATION
    }

    private static final InboundVerdict NOT_COVERED =
            new InboundVerdict(
                    Status.NOT_COVERED,
                    Optional.empty(),
                    Optional.empty(),
                    "covered by no connector");

    private final Status status;
    private final Optional<String> connector;
    private final Optional<InboundViolation> violation;
    private final String reason;

    private InboundVerdict(
            Status status,
            Optional<String> connector,
            Optional<InboundViolation> violation,
            String reason) {
        this.status = status;
        this.connector = connector;
        this.violation = violation;
        this.reason = reason;
    }

    static InboundVerdict notCovered() {
        return NOT_COVERED;
    }

    static InboundVerdict compliant(String connector, String reason) {
        return new InboundVerdict(
                Status.COMPLIANT, Optional.of(connector), Optional.empty(), reason);
    }

    static InboundVerdict violation(String connector, InboundViolation violation, String reason) {
        return new InboundVerdict(
                Status.VIOLATION, Optional.of(connector), Optional.of(violation), reason);
    }

    public Status status() {
        return status;
    }

    public boolean isViolation() {
        return status == Status.VIOLATION;
    }

    /** The covering connector's name; empty when no connector covers the mail. */
    public Optional<String> connector() {
        return connector;
    }

    public Optional<InboundViolation> violation() {
        return violation;
    }

    /**
     * Human-readable reason, ending with {@code (connector NAME)} when a connector covers the mail.
     */
    public String reason() {
        return reason;
    }

    /**
     * The text after the reply code: enhanced status code and reason, e.g. {@code 5.7.10
     * partner.test requires TLS (connector partner)}.
     */
    public String replyText() {
        return violation.map(v -> v.enhancedStatus() + " " + reason).orElse("2.0.0 " + reason);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof InboundVerdict)) {
            return false;
        }
        InboundVerdict that = (InboundVerdict) other;
        return status == that.status
                && connector.equals(that.connector)
                && violation.equals(that.violation)
                && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, connector, violation, reason);
    }

    @Override
    public String toString() {
        return status + ": " + reason;
    }
}
