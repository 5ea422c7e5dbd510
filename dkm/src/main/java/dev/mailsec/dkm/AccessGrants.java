package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.Aead;
import dev.mailsec.dkm.internal.Codec;
import dev.mailsec.dkm.internal.GrantRecord;
import dev.mailsec.dkm.internal.IdentityRecord;
import dev.mailsec.dkm.internal.Keyset;
import dev.mailsec.dkm.internal.SecretRecord;
import dev.mailsec.dkm.internal.SecretVersionRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Elevated access: a person requests temporary access to one secret, admins other than the
 * requester approve or deny it, and an approved grant (the secret's data keys sealed to the
 * requester) runs until it expires by itself.
 */
final class AccessGrants {
    private static final String APPROVED = AccessRequest.Status.APPROVED.name();
    private static final String PENDING = AccessRequest.Status.PENDING.name();
    private static final String EXPIRED = AccessRequest.Status.EXPIRED.name();

    private final RecordRepository records;
    private final Authorisation auth;
    private final GroupKeys keys;
    private final StorePolicy policy;
    private final AuditLog audit;
    private final Clock clock;

    AccessGrants(
            RecordRepository records,
            Authorisation auth,
            GroupKeys keys,
            StorePolicy policy,
            AuditLog audit,
            Clock clock) {
        this.records = records;
        this.auth = auth;
        this.keys = keys;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
    }

    String request(String secret, String reason, Duration duration) throws DkmException {
        if (auth.actor.type != IdentityType.PERSON) {
            throw auth.fail(
                    "request",
                    secret,
                    new DkmAccessDeniedException(
                            "only people request elevated access; services are made group members"));
        }
        if (reason == null || reason.trim().isEmpty()) {
            throw auth.fail("request", secret, new DkmInvalidRequestException("reason: required"));
        }
        DkmPolicy p = policy.get();
        if (duration == null
                || duration.isNegative()
                || duration.isZero()
                || duration.compareTo(p.maxGrant()) > 0) {
            throw auth.fail(
                    "request",
                    secret,
                    new DkmInvalidRequestException(
                            "duration: must be positive and at most "
                                    + p.maxGrant()
                                    + ", got "
                                    + duration));
        }
        records.get(RecordType.SECRET, secret);
        GrantRecord g = new GrantRecord();
        g.id = "req-" + Codec.hex(Aead.random(5));
        g.requester = auth.name();
        g.secret = secret;
        g.reason = reason.trim();
        g.durationSeconds = duration.getSeconds();
        g.requestedAt = clock.millis();
        g.state = PENDING;
        if (!records.insert(RecordType.GRANT, g.id, g)) {
            throw new DkmUnavailableException("request id collision, try again");
        }
        audit.record("request", secret, 0, "ok", g.id + " for " + duration + ": " + g.reason);
        return g.id;
    }

    AccessRequest approve(String requestId, String reason) throws DkmException {
        auth.requireAdmin("approve", requestId);
        GrantRecord g =
                records.update(
                        RecordType.GRANT,
                        requestId,
                        grant -> {
                            checkDecidable(grant, "approve", "approve");
                            if (grant.approvals.containsKey(auth.name())) {
                                throw auth.fail(
                                        "approve",
                                        grant.secret,
                                        new DkmInvalidRequestException(
                                                grant.id
                                                        + " is already approved by "
                                                        + auth.name()));
                            }
                            grant.approvals.put(auth.name(), clock.millis());
                            if (grant.approvals.size() >= policy.get().approvalsRequired()) {
                                grant.state = APPROVED;
                                grant.expiresAt = clock.millis() + grant.durationSeconds * 1000L;
                                grant.decidedBy = auth.name();
                                grant.decisionReason = reason;
                                grant.sealedDataKeys = seal(grant);
                            }
                            return grant;
                        });
        boolean granted = APPROVED.equals(g.state);
        audit.record(
                "approve",
                g.secret,
                0,
                "ok",
                g.id
                        + (granted
                                ? " granted to "
                                        + g.requester
                                        + " until "
                                        + Instant.ofEpochMilli(g.expiresAt)
                                : " ("
                                        + g.approvals.size()
                                        + " of "
                                        + policy.get().approvalsRequired()
                                        + ")")
                        + (reason == null ? "" : ": " + reason));
        return toRequest(g);
    }

    AccessRequest deny(String requestId, String reason) throws DkmException {
        auth.requireAdmin("deny", requestId);
        GrantRecord g =
                records.update(
                        RecordType.GRANT,
                        requestId,
                        grant -> {
                            checkDecidable(grant, "deny", "decide");
                            grant.state = AccessRequest.Status.DENIED.name();
                            grant.decidedBy = auth.name();
                            grant.decisionReason = reason;
                            return grant;
                        });
        audit.record("deny", g.secret, 0, "ok", g.id + (reason == null ? "" : ": " + reason));
        return toRequest(g);
    }

    private void checkDecidable(GrantRecord g, String action, String verb) throws DkmException {
        if (g.requester.equals(auth.name())) {
            throw auth.fail(
                    action,
                    g.secret,
                    new DkmAccessDeniedException("the requester cannot " + verb + " " + g.id));
        }
        if (!PENDING.equals(g.state)) {
            throw auth.fail(
                    action,
                    g.secret,
                    new DkmInvalidRequestException(g.id + " is " + g.state + ", not PENDING"));
        }
    }

    /**
     * Requests visible to this identity: all for admins, own for others. Expired grants are marked.
     */
    List<AccessRequest> list() throws DkmException {
        List<AccessRequest> out = new ArrayList<>();
        for (RecordRepository.Loaded<GrantRecord> l : records.list(RecordType.GRANT)) {
            if (!auth.actor.admin && !l.value.requester.equals(auth.name())) {
                continue;
            }
            out.add(toRequest(isExpired(l.value) ? expire(l) : l.value));
        }
        return out;
    }

    /** Expires every grant past its time; returns one line per grant expired. */
    List<String> expireDue() throws DkmException {
        List<String> done = new ArrayList<>();
        for (RecordRepository.Loaded<GrantRecord> l : records.list(RecordType.GRANT)) {
            GrantRecord g = l.value;
            if (isExpired(g)) {
                expire(l);
                done.add("expired grant " + g.id + " of " + g.requester + " to " + g.secret);
            }
        }
        return done;
    }

    /** The data keys of {@code secret} from this person's unexpired grant, by version. */
    Map<Integer, byte[]> dataKeysFor(String secret) throws DkmException {
        GrantRecord g = active(secret);
        try {
            return Envelope.openGrant(auth.credential, g).keys;
        } catch (Aead.TamperedException | Codec.MalformedException e) {
            throw auth.fail(
                    "read",
                    g.secret,
                    new DkmIntegrityException("grant " + g.id + " does not open"));
        }
    }

    private GrantRecord active(String secret) throws DkmException {
        boolean expired = false;
        for (RecordRepository.Loaded<GrantRecord> l : records.list(RecordType.GRANT)) {
            GrantRecord g = l.value;
            if (!g.requester.equals(auth.name())
                    || !g.secret.equals(secret)
                    || !APPROVED.equals(g.state)) {
                continue;
            }
            if (isExpired(g)) {
                expire(l);
                expired = true;
                continue;
            }
            return g;
        }
        throw auth.fail(
                "read",
                secret,
                new DkmAccessDeniedException(
                        "'"
                                + auth.name()
                                + "' has no "
                                + (expired ? "unexpired" : "approved")
                                + " elevated-access grant for "
                                + secret));
    }

    private byte[] seal(GrantRecord g) throws DkmException {
        SecretRecord s = records.get(RecordType.SECRET, g.secret);
        Keyset ks = keys.viaRoot(records.get(RecordType.GROUP, s.group));
        Keyset deks = new Keyset();
        for (SecretVersionRecord v : s.versions) {
            if (v.state != VersionState.DESTROYED) {
                deks.keys.put(
                        v.version, Envelope.unwrapDataKey(s, v, ks.keys.get(v.groupKeyVersion)));
            }
        }
        IdentityRecord requester = records.get(RecordType.IDENTITY, g.requester);
        return Envelope.sealGrant(g, Envelope.publicKeyOf(requester), deks);
    }

    private boolean isExpired(GrantRecord g) {
        return APPROVED.equals(g.state) && clock.millis() >= g.expiresAt;
    }

    /**
     * Marks a grant expired and drops its keys; another process that got there first wrote the
     * audit record.
     */
    private GrantRecord expire(RecordRepository.Loaded<GrantRecord> l) throws DkmException {
        GrantRecord g = l.value;
        g.state = EXPIRED;
        g.sealedDataKeys = null;
        if (records.replace(RecordType.GRANT, l)) {
            audit.record(
                    "expire",
                    g.secret,
                    0,
                    "ok",
                    g.id
                            + " of "
                            + g.requester
                            + " expired at "
                            + Instant.ofEpochMilli(g.expiresAt));
        }
        return g;
    }

    static AccessRequest toRequest(GrantRecord g) {
        return new AccessRequest(
                g.id,
                g.requester,
                g.secret,
                g.reason,
                Duration.ofSeconds(g.durationSeconds),
                Instant.ofEpochMilli(g.requestedAt),
                AccessRequest.Status.valueOf(g.state),
                g.approvals.keySet(),
                g.expiresAt == 0 ? null : Instant.ofEpochMilli(g.expiresAt));
    }
}
