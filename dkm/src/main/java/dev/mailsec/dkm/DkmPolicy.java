package dev.mailsec.dkm;

import java.time.Duration;

/**
 * Store-wide policy: rollover periods per kind (null = no automatic rollover), the delay between
 * adding a key-pair version and promoting it (time to publish a new DKIM selector), and the rules
 * for elevated access.
 */
public final class DkmPolicy {
    private final Duration groupKeysetRollover;
    private final Duration keyPairRollover;
    private final Duration symmetricRollover;
    private final Duration opaqueRollover;
    private final Duration keyPairPromoteDelay;
    private final int approvalsRequired;
    private final Duration maxGrant;

    public DkmPolicy(
            Duration groupKeysetRollover,
            Duration keyPairRollover,
            Duration symmetricRollover,
            Duration opaqueRollover,
            Duration keyPairPromoteDelay,
            int approvalsRequired,
            Duration maxGrant) {
        if (approvalsRequired < 1) {
            throw new IllegalArgumentException(
                    "approvalsRequired: must be at least 1, got " + approvalsRequired);
        }
        if (maxGrant == null || maxGrant.isZero() || maxGrant.isNegative()) {
            throw new IllegalArgumentException("maxGrant: must be positive, got " + maxGrant);
        }
        this.groupKeysetRollover = groupKeysetRollover;
        this.keyPairRollover = keyPairRollover;
        this.symmetricRollover = symmetricRollover;
        this.opaqueRollover = opaqueRollover;
        this.keyPairPromoteDelay =
                keyPairPromoteDelay == null ? Duration.ZERO : keyPairPromoteDelay;
        this.approvalsRequired = approvalsRequired;
        this.maxGrant = maxGrant;
    }

    /**
     * Group keysets every 30 days, key pairs (DKIM) every 90 days promoted after 2 days, AES keys
     * every 90 days; 2 approvers, grants up to 8 hours.
     */
    public static DkmPolicy defaults() {
        return new DkmPolicy(
                Duration.ofDays(30),
                Duration.ofDays(90),
                Duration.ofDays(90),
                null,
                Duration.ofDays(2),
                2,
                Duration.ofHours(8));
    }

    public Duration groupKeysetRollover() {
        return groupKeysetRollover;
    }

    public Duration rolloverOf(SecretKind kind) {
        switch (kind) {
            case KEY_PAIR:
                return keyPairRollover;
            case SYMMETRIC:
                return symmetricRollover;
            default:
                return opaqueRollover;
        }
    }

    public Duration keyPairPromoteDelay() {
        return keyPairPromoteDelay;
    }

    public int approvalsRequired() {
        return approvalsRequired;
    }

    public Duration maxGrant() {
        return maxGrant;
    }

    public DkmPolicy withApprovalsRequired(int n) {
        return new DkmPolicy(
                groupKeysetRollover,
                keyPairRollover,
                symmetricRollover,
                opaqueRollover,
                keyPairPromoteDelay,
                n,
                maxGrant);
    }

    @Override
    public String toString() {
        return "DkmPolicy[groupKeyset="
                + groupKeysetRollover
                + ", keyPair="
                + keyPairRollover
                + ", symmetric="
                + symmetricRollover
                + ", opaque="
                + opaqueRollover
                + ", promoteDelay="
                + keyPairPromoteDelay
                + ", approvals="
                + approvalsRequired
                + ", maxGrant="
                + maxGrant
                + "]";
    }
}
