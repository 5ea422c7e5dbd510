package dev.mailsec.portal;

import static dev.mailsec.portal.Html.esc;
import static dev.mailsec.portal.Html.hidden;
import static dev.mailsec.portal.Html.mask;

import dev.mailsec.rights.LicenceTerms;
import java.util.StringJoiner;

/**
 * The sign-in pages: the landing page of a protected message (ask for a passcode), entering the
 * passcode, signed out. All text is escaped here.
 */
final class SignInPages {
    private SignInPages() {}

    static String landing(LicenceTerms l, String csrf, String error) {
        StringBuilder b = new StringBuilder();
        b.append(
                        "<section class=\"card\"><div class=\"card-head\"><span class=\"lock\" aria-hidden=\"true\"></span>")
                .append("<div><h1>")
                .append(esc(l.sender()))
                .append(" sent you a protected message</h1>")
                .append("<p class=\"muted\">")
                .append(templateLine(l))
                .append("</p></div></div>");
        if (error != null) {
            b.append("<p class=\"alert\" role=\"alert\">").append(esc(error)).append("</p>");
        }
        b.append(
                        "<p>To read it, confirm your email address. We will send a one-time passcode to it.</p>")
                .append("<form method=\"post\" action=\"/m/")
                .append(esc(l.licenceId()))
                .append("/passcode\" class=\"stack\">")
                .append(hidden("csrf", csrf))
                .append("<label for=\"address\">Your email address</label>")
                .append(
                        "<input id=\"address\" name=\"address\" type=\"email\" required autocomplete=\"email\" ")
                .append("inputmode=\"email\" maxlength=\"254\" placeholder=\"you@example.com\">")
                .append(
                        "<button type=\"submit\" class=\"primary\" id=\"send-passcode\">Send me a passcode</button>")
                .append("</form>");
        StringJoiner masked = new StringJoiner(", ");
        for (String r : l.recipients()) {
            masked.add(mask(r));
        }
        b.append("<p class=\"muted small\">Sent to ")
                .append(esc(masked.toString()))
                .append(".</p></section>");
        return Html.page("Protected message", "plain", null, b.toString(), null);
    }

    static String enterCode(
            LicenceTerms l, String address, String csrf, String error, boolean resent) {
        return codeForm(
                "/m/" + esc(l.licenceId()),
                " may read this message",
                "Open the message",
                address,
                csrf,
                error,
                resent);
    }

    /**
     * The passcode form of readers and senders: {@code base} (HTML-escaped already) is where the
     * code and a new-passcode request are posted ({@code base/code}, {@code base/passcode}) and
     * where another address starts ({@code base?other=1}); {@code who} ends "If ADDRESS ...".
     */
    static String codeForm(
            String base,
            String who,
            String submit,
            String address,
            String csrf,
            String error,
            boolean resent) {
        StringBuilder b = new StringBuilder();
        b.append(
                        "<section class=\"card\"><div class=\"card-head\"><span class=\"mail\" aria-hidden=\"true\"></span>")
                .append("<div><h1>Check your mailbox</h1><p class=\"muted\">If ")
                .append(esc(address))
                .append(who)
                .append(", a passcode is on its way to it.</p></div></div>");
        if (error != null) {
            b.append("<p class=\"alert\" role=\"alert\" id=\"code-error\">")
                    .append(esc(error))
                    .append("</p>");
        } else if (resent) {
            b.append(
                    "<p class=\"notice\" role=\"status\">A new passcode was sent. Earlier ones no longer work.</p>");
        }
        b.append("<form method=\"post\" action=\"")
                .append(base)
                .append("/code\" class=\"stack\">")
                .append(hidden("csrf", csrf))
                .append("<label for=\"code\">One-time passcode</label>")
                .append(
                        "<input id=\"code\" name=\"code\" class=\"code\" required autocomplete=\"one-time-code\" ")
                .append(
                        "inputmode=\"numeric\" pattern=\"[0-9 ]{6,10}\" maxlength=\"10\" placeholder=\"12345678\">")
                .append("<button type=\"submit\" class=\"primary\" id=\"submit-code\">")
                .append(submit)
                .append("</button></form>")
                .append("<div class=\"row between small\">")
                .append("<form method=\"post\" action=\"")
                .append(base)
                .append("/passcode\">")
                .append(hidden("csrf", csrf))
                .append(hidden("address", address))
                .append(hidden("resend", "1"))
                .append(
                        "<button type=\"submit\" class=\"link\" id=\"resend\">Send a new passcode</button></form>")
                .append("<a href=\"")
                .append(base)
                .append("?other=1\">Use another address</a></div></section>");
        return Html.page("Enter passcode", "plain", null, b.toString(), null);
    }

    static String signedOut() {
        return Html.page(
                "Signed out",
                "plain",
                null,
                Pages.card(
                        "You are signed out",
                        "<p class=\"lead\">The message is closed on this device. Open the link in "
                                + "your mail again to read it; you will need a new passcode.</p>"),
                null);
    }

    private static String templateLine(LicenceTerms l) {
        String t = "Protection: " + l.template();
        if (l.expiresAt().isPresent()) {
            t += " · available until " + Pages.when(l.expiresAt().get());
        }
        return esc(t);
    }
}
