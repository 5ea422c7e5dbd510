package dev.mailsec.rights;

/**
 * The licence is authentic but this reader may not open the message now; {@link #reason()} says
 * why.
 */
public class RightsDeniedException extends RightsException {
    private static final long serialVersionUID = 1L;

    /** Why opening was refused. */
    public enum Reason {
        /** The reader is neither the sender nor a recipient named in the licence. */
        NOT_A_PARTY,
        /** The licence's expiry has passed. */
        EXPIRED,
        /** The sender or an admin revoked the message. */
        REVOKED,
        /** The rights store does not know the licence (not issued here, or the store was lost). */
        UNKNOWN_MESSAGE,
        /**
         * An eDiscovery opening by an identity that does not hold the discovery role now (no
         * approved, unexpired elevated-access grant; not a member of the role's group).
         */
        NO_DISCOVERY_ACCESS
    }

    private final Reason reason;
    private final String licenceId;

    public RightsDeniedException(Reason reason, String licenceId, String message) {
        super(message);
        this.reason = reason;
        this.licenceId = licenceId;
    }

    public Reason reason() {
        return reason;
    }

    /** The licence concerned (may be null when unknown). */
    public String licenceId() {
        return licenceId;
    }
}
