package dev.mailsec.rights;

import java.time.Instant;
import java.util.Optional;

/** The outcome of checking a passcode. */
public final class PasscodeCheck {
    /**
     * OK (and consumed), WRONG (attempts remain), LOCKED, EXPIRED, NONE (no live passcode; a used
     * one counts as none).
     */
    public enum Status {
        OK,
        WRONG,
        LOCKED,
        EXPIRED,
        NONE
    }

    private final Status status;
    private final int remainingAttempts;
    private final Instant lockedUntil;

    PasscodeCheck(Status status, int remainingAttempts, Instant lockedUntil) {
        this.status = status;
        this.remainingAttempts = remainingAttempts;
        this.lockedUntil = lockedUntil;
    }

    public Status status() {
        return status;
    }

    public boolean isOk() {
        return status == Status.OK;
    }

    /** Wrong attempts left before a lock-out (meaningful for WRONG). */
    public int remainingAttempts() {
        return remainingAttempts;
    }

    /** Until when the address is locked out (LOCKED only). */
    public Optional<Instant> lockedUntil() {
        return Optional.ofNullable(lockedUntil);
    }

    @Override
    public String toString() {
        return "PasscodeCheck["
                + status
                + (status == Status.WRONG ? ", " + remainingAttempts + " left" : "")
                + (lockedUntil == null ? "" : ", locked until " + lockedUntil)
                + "]";
    }
}
