package dev.mailsec.portal;

import dev.mailsec.rights.BrandingSet;
import dev.mailsec.rights.LicenceTerms;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.mail.internet.MimeMessage;

/**
 * What the portal needs from the rights engine. The HTTP layer knows only this port; {@code
 * RightsPortalEngine} implements it over {@code dev.mailsec.rights} (RightsOpener, RightsStore,
 * RightsKeyring), unit tests use a fake. Every refusal is a {@link PortalRefusal} with a reason the
 * pages map onto an error page.
 */
public interface PortalEngine {

    /**
     * The licence of a stored message (for the landing page); refuses unknown, revoked and expired
     * messages.
     */
    LicenceTerms licence(String licenceId) throws PortalRefusal;

    /**
     * Issues a one-time passcode for {@code address} (rate limits and lock-out apply to parties and
     * non-parties alike). Empty when the address is not a party of the licence: the portal then
     * answers exactly as if a code had been sent, so the landing page does not reveal who the
     * recipients are.
     */
    Optional<String> issuePasscode(String licenceId, String address, String client)
            throws PortalRefusal;

    /** Checks (and on success consumes) the passcode. */
    CodeCheck checkPasscode(String licenceId, String address, String code, String client)
            throws PortalRefusal;

    /**
     * Verifies, checks revocation and expiry, decrypts; logged by the engine as an open (or a
     * refusal).
     */
    OpenedView open(String licenceId, String reader, String client) throws PortalRefusal;

    /** Records a portal action in the message's access log. */
    void record(String licenceId, String address, PortalEvent event, String client, String detail);

    /**
     * Protects {@code message} (already From the reader, To the new recipients) with the licence's
     * template, so forwarded content stays protected; returns the wrapper to send.
     */
    MimeMessage protectForward(
            LicenceTerms licence, MimeMessage message, String reader, Collection<String> recipients)
            throws PortalRefusal;

    /**
     * Ends a signed-in session (sign-out) on every portal node: {@link #sessionEnded} is true for
     * its id from now on. {@code expires} is the session's own end.
     */
    void endSession(String sessionId, Instant expires) throws PortalRefusal;

    /** Whether the session was ended by {@link #endSession}, here or on another node. */
    boolean sessionEnded(String sessionId) throws PortalRefusal;

    /** HMAC keys for session cookies and CSRF tokens, the one to sign with first. Never logged. */
    List<byte[]> sessionKeys() throws PortalRefusal;

    /** Actions the portal records besides the engine's own opens and passcode events. */
    enum PortalEvent {
        REPLIED,
        FORWARDED,
        ATTACHMENT_DOWNLOADED,
        FORWARD_BLOCKED
    }

    /** The outcome of a passcode check. */
    final class CodeCheck {
        /**
         * OK consumes the code; WRONG leaves {@link #remaining()} attempts; NONE means no live code
         * (or a used one).
         */
        public enum Status {
            OK,
            WRONG,
            LOCKED,
            EXPIRED,
            NONE
        }

        private final Status status;
        private final int remaining;

        public CodeCheck(Status status, int remaining) {
            this.status = status;
            this.remaining = remaining;
        }

        public Status status() {
            return status;
        }

        public int remaining() {
            return remaining;
        }

        @Override
        public String toString() {
            return "CodeCheck[" + status + ", remaining=" + remaining + "]";
        }
    }

    /** A decrypted message and its licence. */
    final class OpenedView {
        private final LicenceTerms licence;
        private final MimeMessage message;

        public OpenedView(LicenceTerms licence, MimeMessage message) {
            this.licence = licence;
            this.message = message;
        }

        public LicenceTerms licence() {
            return licence;
        }

        public MimeMessage message() {
            return message;
        }
    }

    /**
     * The brandings in force for this request when the engine follows a reloadable rights.xml (so a
     * reloaded {@code <branding>} is shown without restart); empty: the portal's {@link
     * PortalConfig#branding()}, fixed at start.
     */
    default Optional<BrandingSet> branding() {
        return Optional.empty();
    }

    /**
     * Whether the portal can serve readers now: its keys (DKM) and its state store answer. Throws a
     * refusal {@link PortalRefusal.Reason#UNAVAILABLE} when they do not. Called by {@code GET
     * /healthz}.
     */
    default void checkReady() throws PortalRefusal {
        sessionEnded("healthz");
    }
}
