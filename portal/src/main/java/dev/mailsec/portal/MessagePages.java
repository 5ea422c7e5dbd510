package dev.mailsec.portal;

import static dev.mailsec.portal.Html.esc;
import static dev.mailsec.portal.Html.hidden;

import dev.mailsec.rights.LicenceTerms;
import dev.mailsec.rights.Right;
import java.util.List;
import java.util.Locale;

/**
 * The pages of an opened message: reading it (with the rights the licence grants), replying and
 * forwarding. All text is escaped here; message HTML arrives already sanitised.
 */
final class MessagePages {
    private MessagePages() {}

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
                    .append(esc(Pages.when(l.expiresAt().get())))
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
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
