package dev.mailsec.rights;

/** What an access-log entry records. */
public enum EventType {
    OPENED,
    OPEN_REFUSED,
    PASSCODE_SENT,
    PASSCODE_FAILED,
    PASSCODE_LOCKED,
    PASSCODE_OK,
    REPLIED,
    ATTACHMENT_DOWNLOADED,
    REVOKED,
    FORWARD_BLOCKED,
    TRANSPORT_DECRYPTED,
    /**
     * A reader forwarded the message (re-protected) from the portal; the detail names the new
     * recipients.
     */
    FORWARDED,
    /**
     * The sender, signed in on the portal's sender pages, listed their protected messages (in the
     * sender's own log, {@link RightsStore#senderLogId}).
     */
    SENDER_LISTED,
    /** The sender looked at this message's details and access log on the portal's sender pages. */
    SENDER_VIEWED,
    /**
     * The discovery role opened the message (legal hold, journal); the address is {@code
     * discovery:<DKM identity>}, the detail the reason and the grant.
     */
    DISCOVERY_OPENED,
    /** A discovery opening was refused: no approved, unexpired elevated access (or membership). */
    DISCOVERY_REFUSED
}
