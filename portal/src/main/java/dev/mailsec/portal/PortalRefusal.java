package dev.mailsec.portal;

import java.time.Instant;
import java.util.Optional;

/** The engine said no; {@link #reason()} picks the error page and status code. */
public final class PortalRefusal extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** No such message (or a malformed id): 404. */
        UNKNOWN(404),
        /** The reader is not a sender or recipient of the licence: 403. */
        NOT_A_PARTY(403),
        /** Past the licence's expiry: 410. */
        EXPIRED(410),
        /** Revoked by the sender or an admin: 410. */
        REVOKED(410),
        /** Too many wrong passcodes for this address and message: 423. */
        LOCKED(423),
        /** Too many passcode requests from this address or client: 429. */
        RATE_LIMITED(429),
        /** The licence does not grant the right asked for: 403. */
        NOT_ALLOWED(403),
        /** Tampered licence or ciphertext: 422. */
        INTEGRITY(422),
        /** Key store or state store unreachable: 503, try again later. */
        UNAVAILABLE(503);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Reason reason;
    private final Instant until;

    public PortalRefusal(Reason reason, String message) {
        this(reason, message, null, null);
    }

    public PortalRefusal(Reason reason, String message, Instant until, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.until = until;
    }

    public Reason reason() {
        return reason;
    }

    /** When a lock-out or rate limit ends, if known. */
    public Optional<Instant> until() {
        return Optional.ofNullable(until);
    }
}
