package dev.mailsec.portal;

import dev.mailsec.portal.PortalEngine.CodeCheck;
import java.time.Duration;
import java.util.Map;

/**
 * What the passcode form says back, the same for readers ({@link SignInHandlers}) and senders
 * ({@link SenderHandlers}): the typed code as checked, and the line shown for a code that did not
 * sign in.
 */
final class PasscodeAnswers {

    /** Shown (400) for input that cannot be a passcode. */
    static final String MALFORMED = "A passcode is 6 to 8 digits.";

    private PasscodeAnswers() {}

    /** The form's {@code code} without the spaces and dashes a reader may type. */
    static String typed(Map<String, String> form) {
        return form.getOrDefault("code", "").replaceAll("[\\s-]", "");
    }

    /** Whether {@link #typed} input is worth a check at all. */
    static boolean wellFormed(String code) {
        return code.matches("[0-9]{4,10}");
    }

    /**
     * The line shown (401) with the passcode form for a check that did not sign in.
     *
     * @throws PortalRefusal LOCKED: too many wrong codes
     */
    static String problem(CodeCheck check, Duration passcodeTtl) throws PortalRefusal {
        switch (check.status()) {
            case WRONG:
                return "That passcode is not right. "
                        + check.remaining()
                        + (check.remaining() == 1 ? " attempt" : " attempts")
                        + " left.";
            case LOCKED:
                throw new PortalRefusal(PortalRefusal.Reason.LOCKED, "locked");
            case EXPIRED:
                return "That passcode has expired. Send a new passcode and enter it within "
                        + passcodeTtl.toMinutes()
                        + " minutes.";
            case OK:
                throw new IllegalArgumentException("an OK check signs in");
            case NONE:
            default:
                return "That passcode is not valid any more (each passcode works once). "
                        + "Send a new passcode.";
        }
    }
}
