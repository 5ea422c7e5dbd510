package dev.mailsec.portal;

import static dev.mailsec.portal.Html.esc;
import static dev.mailsec.portal.Html.hidden;

import dev.mailsec.portal.SenderEngine.SentDetail;
import dev.mailsec.portal.SenderEngine.SentMessage;
import dev.mailsec.portal.SenderEngine.SentPage;
import dev.mailsec.rights.AccessEvent;
import dev.mailsec.rights.EventType;
import dev.mailsec.rights.LicenceTerms;
import dev.mailsec.rights.Revocation;
import java.util.Locale;

/**
 * The sender pages (sign-in, the list of sent protected messages, one message with its access log
 * and the revoke form, signed out), in the portal's shared frame ({@link Html#page}). The subject
 * is not shown: it is part of the protected content, which the rights store keeps only encrypted,
 * and the list decrypts nothing; the Message-ID, recipients and dates identify a message. All text
 * is escaped here.
 */
final class SenderPages {
    private SenderPages() {}

    static String start(String csrf, String error) {
        StringBuilder b = new StringBuilder();
        b.append(
                        "<section class=\"card\"><div class=\"card-head\"><span class=\"lock\" aria-hidden=\"true\"></span>")
                .append("<div><h1>Your protected messages</h1><p class=\"muted\">")
                .append("See who opened the protected messages you sent, and withdraw one.</p>")
                .append("</div></div>");
        alert(b, error);
        b.append("<p>Confirm your email address. We will send a one-time passcode to it.</p>")
                .append("<form method=\"post\" action=\"/sender/passcode\" class=\"stack\">")
                .append(hidden("csrf", csrf))
                .append("<label for=\"address\">Your email address</label>")
                .append(
                        "<input id=\"address\" name=\"address\" type=\"email\" required autocomplete=\"email\" ")
                .append("inputmode=\"email\" maxlength=\"254\" placeholder=\"you@example.com\">")
                .append(
                        "<button type=\"submit\" class=\"primary\" id=\"send-passcode\">Send me a passcode</button>")
                .append("</form></section>");
        return Html.page("Your protected messages", "plain", null, b.toString(), null);
    }

    static String enterCode(String address, String csrf, String error, boolean resent) {
        return SignInPages.codeForm(
                "/sender",
                " sent protected messages",
                "Show my messages",
                address,
                csrf,
                error,
                resent);
    }

    static String list(String sender, SentPage p, String csrf) {
        StringBuilder b = new StringBuilder();
        b.append("<section class=\"card sent\"><h1>Protected messages you sent</h1>")
                .append("<p class=\"muted\" id=\"sent-count\">")
                .append(p.total())
                .append(p.total() == 1 ? " message" : " messages")
                .append(" · subjects are not shown: they are part of the protected content.</p>");
        if (p.messages().isEmpty()) {
            b.append("<p id=\"sent-empty\">No protected messages on this page.</p>");
        } else {
            b.append("<table class=\"sent-list\" id=\"sent-list\"><thead><tr>")
                    .append("<th>Sent</th><th>To</th><th>Protection</th><th>Available until</th>")
                    .append("<th>Status</th><th></th></tr></thead><tbody>");
            for (SentMessage m : p.messages()) {
                LicenceTerms t = m.terms();
                String id = esc(t.licenceId());
                b.append("<tr data-licence=\"")
                        .append(id)
                        .append("\"><td>")
                        .append(esc(sent(t)))
                        .append("</td><td>")
                        .append(esc(String.join(", ", t.recipients())))
                        .append("</td><td>")
                        .append(esc(t.template()))
                        .append("</td><td>")
                        .append(t.expiresAt().map(Pages::when).map(Html::esc).orElse("no expiry"))
                        .append("</td><td class=\"status\">")
                        .append(m.revocation().isPresent() ? "revoked" : "active")
                        .append("</td><td><a href=\"/sender/messages/")
                        .append(id)
                        .append("\">Details</a></td></tr>");
            }
            b.append("</tbody></table>");
        }
        if (p.pages() > 1) {
            b.append("<div class=\"row between small\">");
            b.append(
                    p.page() > 0
                            ? "<a href=\"/sender/messages?page=" + (p.page() - 1) + "\">Newer</a>"
                            : "<span></span>");
            b.append("<span class=\"muted\">Page ")
                    .append(p.page() + 1)
                    .append(" of ")
                    .append(p.pages())
                    .append("</span>");
            b.append(
                    p.page() + 1 < p.pages()
                            ? "<a href=\"/sender/messages?page=" + (p.page() + 1) + "\">Older</a>"
                            : "<span></span>");
            b.append("</div>");
        }
        b.append("</section>");
        return Html.page("Sent messages", "plain", signOut(sender, csrf), b.toString(), null);
    }

    static String detail(
            String sender, SentDetail d, String csrf, String error, boolean justRevoked) {
        LicenceTerms t = d.message().terms();
        String id = esc(t.licenceId());
        StringBuilder b = new StringBuilder();
        b.append("<section class=\"card sent\"><p class=\"small\"><a href=\"/sender/messages\">")
                .append("All sent messages</a></p><h1>Protected message</h1>");
        alert(b, error);
        if (justRevoked) {
            b.append(
                    "<p class=\"notice\" role=\"status\" id=\"revoked-notice\">The message is revoked: "
                            + "nobody can open it any more.</p>");
        }
        b.append("<dl class=\"meta\">")
                .append(dt("Message-ID", esc(t.messageId() == null ? "" : t.messageId())))
                .append(dt("Sent", esc(sent(t))))
                .append(dt("To", esc(String.join(", ", t.recipients()))))
                .append(dt("Protection", esc(t.template())))
                .append(
                        dt(
                                "Available until",
                                t.expiresAt().map(Pages::when).map(Html::esc).orElse("no expiry")));
        if (d.message().revocation().isPresent()) {
            Revocation r = d.message().revocation().get();
            b.append(
                    dt(
                            "Revoked",
                            "<span id=\"revoked\">"
                                    + esc(Pages.when(r.at()) + " by " + r.by() + ": " + r.reason())
                                    + "</span>"));
        }
        b.append("</dl><h2>Access log</h2>");
        if (d.omitted() > 0) {
            b.append("<p class=\"muted small\">")
                    .append(d.omitted())
                    .append(" older events are not shown.</p>");
        }
        if (d.events().isEmpty()) {
            b.append("<p id=\"no-events\">Nobody has asked for this message yet.</p>");
        } else {
            b.append("<table class=\"sent-list\" id=\"access-log\"><thead><tr>")
                    .append("<th>When</th><th>Who</th><th>What</th><th>Detail</th>")
                    .append("</tr></thead><tbody>");
            for (AccessEvent e : d.events()) {
                b.append("<tr data-event=\"")
                        .append(e.type().name())
                        .append("\"><td>")
                        .append(esc(Pages.when(e.time())))
                        .append("</td><td>")
                        .append(esc(e.address()))
                        .append("</td><td>")
                        .append(esc(what(e)))
                        .append("</td><td>")
                        .append(esc(e.detail()))
                        .append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        if (d.message().revocation().isEmpty()) {
            b.append("<h2>Revoke</h2><p>Revoking stops everyone from opening this message, ")
                    .append("in the portal and in their mail program. It cannot be undone.</p>")
                    .append("<form method=\"post\" action=\"/sender/messages/")
                    .append(id)
                    .append("/revoke\" class=\"stack\">")
                    .append(hidden("csrf", csrf))
                    .append("<label for=\"reason\">Reason</label>")
                    .append("<input id=\"reason\" name=\"reason\" type=\"text\" required ")
                    .append("maxlength=\"")
                    .append(SenderHandlers.MAX_REASON)
                    .append("\" placeholder=\"Sent to the wrong person\">")
                    .append(
                            "<button type=\"submit\" class=\"primary\" id=\"revoke\">Revoke this message</button>")
                    .append("</form>");
        }
        b.append("</section>");
        return Html.page("Protected message", "plain", signOut(sender, csrf), b.toString(), null);
    }

    static String signedOut() {
        return Html.page(
                "Signed out",
                "plain",
                null,
                Pages.card(
                        "You are signed out",
                        "<p class=\"lead\">To see your protected messages again, "
                                + "<a href=\"/sender\">sign in</a> with a new passcode.</p>"),
                null);
    }

    /** What an access-log event says to the sender. */
    static String what(AccessEvent e) {
        EventType t = e.type();
        switch (t) {
            case OPENED:
                return "opened (" + channel(e) + ")";
            case OPEN_REFUSED:
                return "refused";
            case PASSCODE_SENT:
                return "passcode sent";
            case PASSCODE_OK:
                return "passcode entered";
            case PASSCODE_FAILED:
                return "wrong passcode";
            case PASSCODE_LOCKED:
                return "locked out (wrong passcodes)";
            case REVOKED:
                return "revoked";
            case SENDER_VIEWED:
                return "you looked at this page";
            default:
                return t.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    private static String channel(AccessEvent e) {
        return e.channel() == null ? "-" : e.channel().name().toLowerCase(Locale.ROOT);
    }

    /** When the message was protected ("" if the record has no date). */
    private static String sent(LicenceTerms t) {
        return t.issuedAt() == null ? "" : Pages.when(t.issuedAt());
    }

    private static String dt(String term, String escapedValue) {
        return "<dt>" + esc(term) + "</dt><dd>" + escapedValue + "</dd>";
    }

    private static void alert(StringBuilder b, String error) {
        if (error != null) {
            b.append("<p class=\"alert\" role=\"alert\">").append(esc(error)).append("</p>");
        }
    }

    private static String signOut(String sender, String csrf) {
        return "<form method=\"post\" action=\"/sender/signout\" class=\"signout\">"
                + hidden("csrf", csrf)
                + "<span class=\"who\">"
                + esc(sender)
                + "</span>"
                + "<button type=\"submit\" class=\"btn small\" id=\"sign-out\">Sign out</button></form>";
    }
}
