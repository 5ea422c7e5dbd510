package dev.mailsec.portal;

import static dev.mailsec.portal.Html.esc;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The portal's site pages (home, errors, refusals) and what every page shares (a card, the date
 * format). The sign-in pages are {@link SignInPages}, an opened message's {@link MessagePages}. All
 * text is escaped here.
 */
final class Pages {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Pages() {}

    static String home() {
        return Html.page(
                "Protected mail",
                "plain",
                null,
                card(
                        "Protected mail portal",
                        "<p class=\"lead\">Someone sent you a protected message. Open the link in that message to read it "
                                + "here: you prove who you are with a one-time passcode sent to your address.</p>"
                                + "<p class=\"muted\">There is nothing to see on this page by itself.</p>"),
                null);
    }

    static String error(String title, String text) {
        return Html.page(
                title,
                "plain",
                null,
                "<section class=\"card error\"><div class=\"card-head\"><span class=\"stop\" aria-hidden=\"true\"></span>"
                        + "<div><h1>"
                        + esc(title)
                        + "</h1></div></div><p class=\"lead\" id=\"error-text\">"
                        + esc(text)
                        + "</p></section>",
                null);
    }

    static String refusal(PortalRefusal r) {
        String until =
                r.until().map(WHEN::format).map(t -> " Try again after " + t + ".").orElse("");
        switch (r.reason()) {
            case EXPIRED:
                return error(
                        "This message has expired",
                        "The sender set an expiry date for this message, and it has "
                                + "passed. Ask the sender to send it again if you still need it.");
            case REVOKED:
                return error(
                        "This message was withdrawn",
                        "The sender or their organisation has revoked this "
                                + "message. It can no longer be opened.");
            case LOCKED:
                return error(
                        "Too many wrong passcodes",
                        "This message is locked for your address after too many "
                                + "wrong passcodes."
                                + until);
            case RATE_LIMITED:
                return error(
                        "Too many requests",
                        "Too many passcodes were requested for this address or from this "
                                + "network."
                                + (until.isEmpty() ? " Please wait and try again." : until));
            case NOT_A_PARTY:
                return error("Not available", "This address may not read this message.");
            case NOT_ALLOWED:
                return error("Not allowed", "The sender does not allow this for this message.");
            case INTEGRITY:
                return error(
                        "Message damaged",
                        "This protected message failed its integrity check and cannot be "
                                + "opened.");
            case UNAVAILABLE:
                return error(
                        "Temporarily unavailable",
                        "The portal cannot reach its key store right now. Please try "
                                + "again in a few minutes.");
            case UNKNOWN:
            default:
                return error(
                        "Message not found",
                        "There is no protected message at this address. Check that the link "
                                + "is complete.");
        }
    }

    static String card(String title, String inner) {
        return "<section class=\"card\"><h1>" + esc(title) + "</h1>" + inner + "</section>";
    }

    static String when(Instant i) {
        return WHEN.format(i);
    }
}
