package dev.mailsec.dkm;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** An elevated-access request by a person, as listed by {@code access list}. */
public final class AccessRequest {
    /** Where a request stands. */
    public enum Status {
        PENDING,
        APPROVED,
        DENIED,
        EXPIRED
    }

    private final String id;
    private final String requester;
    private final String secret;
    private final String reason;
    private final Duration duration;
    private final Instant requestedAt;
    private final Status status;
    private final Set<String> approvers;
    private final Instant expiresAt;

    AccessRequest(
            String id,
            String requester,
            String secret,
            String reason,
            Duration duration,
            Instant requestedAt,
            Status status,
            Set<String> approvers,
            Instant expiresAt) {
        this.id = id;
        this.requester = requester;
        this.secret = secret;
        this.reason = reason;
        this.duration = duration;
        this.requestedAt = requestedAt;
        this.status = status;
        this.approvers = Collections.unmodifiableSet(new TreeSet<>(approvers));
        this.expiresAt = expiresAt;
    }

    public String id() {
        return id;
    }

    public String requester() {
        return requester;
    }

    public String secret() {
        return secret;
    }

    public String reason() {
        return reason;
    }

    public Duration duration() {
        return duration;
    }

    public Instant requestedAt() {
        return requestedAt;
    }

    public Status status() {
        return status;
    }

    public Set<String> approvers() {
        return approvers;
    }

    /** When an approved grant stops working; null while pending or denied. */
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public String toString() {
        return id
                + " "
                + status
                + " "
                + requester
                + " -> "
                + secret
                + " for "
                + duration
                + " approvers="
                + approvers
                + (expiresAt == null ? "" : " until " + expiresAt)
                + " reason=\""
                + reason
                + "\"";
    }
}
