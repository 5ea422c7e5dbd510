package dev.mailsec.portal;

import static dev.mailsec.portal.Html.esc;
import static dev.mailsec.portal.Html.hidden;
import static dev.mailsec.portal.Html.mask;

import dev.mailsec.rights.LicenceTerms;
import dev.mailsec.rights.Right;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.StringJoiner;

/** The portal's pages. All text is escaped here; message HTML arrives already sanitised. */
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
        StringBuilder b = new StringBuilder();
        String id = esc(l.licenceId());
        b.append(
                        "<section class=\"card\"><div class=\"card-head\"><span class=\"mail\" aria-hidden=\"true\"></span>")
                .append("<div><h1>Check your mailbox</h1><p class=\"muted\">If ")
                .append(esc(address))
                .append(" may read this message, a passcode is on its way to it.</p></div></div>");
        if (error != null) {
            b.append("<p class=\"alert\" role=\"alert\" id=\"code-error\">")
                    .append(esc(error))
                    .append("</p>");
        } else if (resent) {
            b.append(
                    "<p class=\"notice\" role=\"status\">A new passcode was sent. Earlier ones no longer work.</p>");
        }
        b.append("<form method=\"post\" action=\"/m/")
                .append(id)
                .append("/code\" class=\"stack\">")
                .append(hidden("csrf", csrf))
                .append("<label for=\"code\">One-time passcode</label>")
                .append(
                        "<input id=\"code\" name=\"code\" class=\"code\" required autocomplete=\"one-time-code\" ")
                .append(
                        "inputmode=\"numeric\" pattern=\"[0-9 ]{6,10}\" maxlength=\"10\" placeholder=\"12345678\">")
                .append(
                        "<button type=\"submit\" class=\"primary\" id=\"submit-code\">Open the message</button></form>")
                .append("<div class=\"row between small\">")
                .append("<form method=\"post\" action=\"/m/")
                .append(id)
                .append("/passcode\">")
                .append(hidden("csrf", csrf))
                .append(hidden("address", address))
                .append(hidden("resend", "1"))
                .append(
                        "<button type=\"submit\" class=\"link\" id=\"resend\">Send a new passcode</button></form>")
                .append("<a href=\"/m/")
                .append(id)
                .append("?other=1\">Use another address</a></div></section>");
        return Html.page("Enter passcode", "plain", null, b.toString(), null);
    }

    static String message(
            LicenceTerms l, MessageView v, String reader, String csrf, String notice) {
        String id = esc(l.licenceId());
        boolean print = l.allows(Right.PRINT);
        boolean extract = l.allows(Right.EXTRACT);
        StringBuilder b = new StringBuilder();
        if (notice != null) {
            b.append("<p class=\"notice\" role=\"status\" id=\"notice\">")
                    .append(esc(notice))
                    .append("</p>");
        }
        b.append("<article class=\"card message\"><header class=\"msg-head\">")
                .append("<h1 id=\"subject\">")
                .append(esc(v.subject))
                .append("</h1>")
                .append("<dl class=\"meta\"><dt>From</dt><dd>")
                .append(esc(v.from))
                .append("</dd>")
                .append("<dt>To</dt><dd>")
                .append(esc(String.join(", ", v.to)))
                .append("</dd>");
        if (!v.cc.isEmpty()) {
            b.append("<dt>Cc</dt><dd>").append(esc(String.join(", ", v.cc))).append("</dd>");
        }
        if (!v.date.isEmpty()) {
            b.append("<dt>Date</dt><dd>").append(esc(v.date)).append("</dd>");
        }
        b.append("</dl>")
                .append(rights(l))
                .append("</header>")
                .append("<nav class=\"actions\" aria-label=\"Message actions\">");
        if (l.allows(Right.REPLY)) {
            b.append("<a class=\"btn primary\" id=\"reply\" href=\"/m/")
                    .append(id)
                    .append("/reply\">Reply</a>");
        }
        if (l.allows(Right.REPLY_ALL)) {
            b.append("<a class=\"btn\" id=\"reply-all\" href=\"/m/")
                    .append(id)
                    .append("/reply?all=1\">Reply all</a>");
        }
        if (l.allows(Right.FORWARD)) {
            b.append("<a class=\"btn\" id=\"forward\" href=\"/m/")
                    .append(id)
                    .append("/forward\">Forward</a>");
        }
        if (print) {
            b.append(
                    "<button type=\"button\" class=\"btn\" id=\"print\" data-print>Print</button>");
        }
        b.append("</nav><div class=\"body\" id=\"message-body\">");
        if (v.html != null) {
            b.append("<div class=\"html\">").append(v.html).append("</div>");
        } else {
            b.append("<pre class=\"text\">")
                    .append(esc(v.text == null ? "" : v.text))
                    .append("</pre>");
        }
        b.append("</div>");
        if (!v.attachments.isEmpty()) {
            b.append("<section class=\"attachments\"><h2>Attachments</h2><ul>");
            for (MessageView.Attachment a : v.attachments) {
                b.append(
                                "<li><span class=\"file\" aria-hidden=\"true\"></span><span class=\"fname\">")
                        .append(esc(a.name))
                        .append("</span><span class=\"muted small\">")
                        .append(size(a.size))
                        .append("</span>");
                if (extract) {
                    b.append("<a class=\"btn small\" href=\"/m/")
                            .append(id)
                            .append("/attachment/")
                            .append(a.index)
                            .append("\" download>Download</a>");
                } else {
                    b.append("<span class=\"tag\">View only</span>");
                }
                b.append("</li>");
            }
            b.append("</ul>");
            if (!extract) {
                b.append(
                        "<p class=\"muted small\">The sender does not allow downloading attachments.</p>");
            }
            b.append("</section>");
        }
        b.append("</article>");
        String bodyClass = "reading" + (print ? "" : " no-print") + (extract ? "" : " no-extract");
        return Html.page(
                v.subject,
                bodyClass,
                signOut(id, reader, csrf),
                b.toString(),
                print ? "/static/print.js" : null);
    }

    static String reply(
            LicenceTerms l,
            MessageView v,
            String reader,
            List<String> to,
            boolean all,
            String csrf,
            String error) {
        String id = esc(l.licenceId());
        StringBuilder b = new StringBuilder();
        b.append("<section class=\"card\"><h1>")
                .append(all ? "Reply all" : "Reply")
                .append("</h1>");
        if (error != null) {
            b.append("<p class=\"alert\" role=\"alert\">").append(esc(error)).append("</p>");
        }
        b.append("<form method=\"post\" action=\"/m/")
                .append(id)
                .append("/reply\" class=\"stack\">")
                .append(hidden("csrf", csrf))
                .append(hidden("all", all ? "1" : "0"))
                .append("<dl class=\"meta\"><dt>From</dt><dd>")
                .append(esc(reader))
                .append("</dd><dt>To</dt><dd id=\"reply-to\">")
                .append(esc(String.join(", ", to)))
                .append("</dd><dt>Subject</dt><dd>")
                .append(
                        esc(
                                v.subject.regionMatches(true, 0, "Re:", 0, 3)
                                        ? v.subject
                                        : "Re: " + v.subject))
                .append("</dd></dl><label for=\"body\">Your reply</label>")
                .append(
                        "<textarea id=\"body\" name=\"body\" rows=\"10\" required maxlength=\"100000\"></textarea>")
                .append(
                        "<div class=\"row\"><button type=\"submit\" class=\"primary\" id=\"send-reply\">Send</button>")
                .append("<a class=\"btn\" href=\"/m/")
                .append(id)
                .append("/view\">Cancel</a></div></form>")
                .append(
                        "<p class=\"muted small\">Your reply is sent by the sender's mail server from your address. ")
                .append("The original message is not quoted, so it stays protected.</p></section>");
        return Html.page("Reply", "plain", signOut(id, reader, csrf), b.toString(), null);
    }

    static String forward(LicenceTerms l, MessageView v, String reader, String csrf, String error) {
        String id = esc(l.licenceId());
        StringBuilder b = new StringBuilder();
        b.append("<section class=\"card\"><h1>Forward</h1>");
        if (error != null) {
            b.append("<p class=\"alert\" role=\"alert\">").append(esc(error)).append("</p>");
        }
        b.append("<form method=\"post\" action=\"/m/")
                .append(id)
                .append("/forward\" class=\"stack\">")
                .append(hidden("csrf", csrf))
                .append("<label for=\"to\">To (comma-separated addresses)</label>")
                .append(
                        "<input id=\"to\" name=\"to\" type=\"text\" required maxlength=\"2000\" inputmode=\"email\">")
                .append("<label for=\"note\">Note</label>")
                .append(
                        "<textarea id=\"note\" name=\"note\" rows=\"5\" maxlength=\"20000\"></textarea>")
                .append(
                        "<div class=\"row\"><button type=\"submit\" class=\"primary\" id=\"send-forward\">Forward</button>")
                .append("<a class=\"btn\" href=\"/m/")
                .append(id)
                .append("/view\">Cancel</a></div></form>")
                .append("<p class=\"muted small\">“")
                .append(esc(v.subject))
                .append("” stays protected: the new ")
                .append(
                        "recipients get their own link and passcode, with the same rights you have.</p></section>");
        return Html.page("Forward", "plain", signOut(id, reader, csrf), b.toString(), null);
    }

    static String signedOut() {
        return Html.page(
                "Signed out",
                "plain",
                null,
                card(
                        "You are signed out",
                        "<p class=\"lead\">The message is closed on this device. Open the link in "
                                + "your mail again to read it; you will need a new passcode.</p>"),
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

    private static String signOut(String id, String reader, String csrf) {
        return "<form method=\"post\" action=\"/m/"
                + id
                + "/signout\" class=\"signout\">"
                + hidden("csrf", csrf)
                + "<span class=\"who\">"
                + esc(reader)
                + "</span>"
                + "<button type=\"submit\" class=\"btn small\" id=\"sign-out\">Sign out</button></form>";
    }

    private static String card(String title, String inner) {
        return "<section class=\"card\"><h1>" + esc(title) + "</h1>" + inner + "</section>";
    }

    private static String templateLine(LicenceTerms l) {
        String t = "Protection: " + l.template();
        if (l.expiresAt().isPresent()) {
            t += " · available until " + WHEN.format(l.expiresAt().get());
        }
        return esc(t);
    }

    private static String rights(LicenceTerms l) {
        StringBuilder b = new StringBuilder("<ul class=\"rights\" aria-label=\"What you may do\">");
        b.append("<li class=\"tpl\">").append(esc(l.template())).append("</li>");
        for (Right p : Right.values()) {
            if (p == Right.VIEW) {
                continue;
            }
            boolean ok = l.allows(p);
            b.append("<li class=\"")
                    .append(ok ? "yes" : "no")
                    .append("\">")
                    .append(label(p))
                    .append("</li>");
        }
        if (l.expiresAt().isPresent()) {
            b.append("<li class=\"exp\">until ")
                    .append(esc(WHEN.format(l.expiresAt().get())))
                    .append("</li>");
        }
        return b.append("</ul>").toString();
    }

    private static String label(Right p) {
        switch (p) {
            case REPLY:
                return "Reply";
            case REPLY_ALL:
                return "Reply all";
            case FORWARD:
                return "Forward";
            case PRINT:
                return "Print";
            case EXTRACT:
                return "Copy &amp; download";
            default:
                return "View";
        }
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return (bytes + 512) / 1024 + " KB";
        }
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    static String when(Instant i) {
        return WHEN.format(i);
    }
}
