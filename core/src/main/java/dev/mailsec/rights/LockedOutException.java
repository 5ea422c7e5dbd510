package dev.mailsec.rights;

import java.time.Instant;

/**
 * Too many wrong passcodes from this client for this address: it may not open this message until
 * {@link #lockedUntil()}.
 */
public class LockedOutException extends RightsException {
    private static final long serialVersionUID = 1L;

    private final transient Instant lockedUntil;

    public LockedOutException(String licenceId, Instant lockedUntil) {
        super(
                "locked out of "
                        + licenceId
                        + " until "
                        + lockedUntil
                        + " after too many wrong passcodes");
        this.lockedUntil = lockedUntil;
    }

    public Instant lockedUntil() {
        return lockedUntil;
    }
}
