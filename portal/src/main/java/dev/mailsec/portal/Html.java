package dev.mailsec.portal;

/**
 * HTML escaping and the page frame every portal page shares (one stylesheet, no inline style or
 * script).
 */
final class Html {

    private Html() {}

    /** Escapes text for element content and double-quoted attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    b.append("&amp;");
                    break;
                case '<':
                    b.append("&lt;");
                    break;
                case '>':
                    b.append("&gt;");
                    break;
                case '"':
                    b.append("&quot;");
                    break;
                case '\'':
                    b.append("&#39;");
                    break;
                default:
                    b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * The page: {@code bodyClass} lets the stylesheet hide the page from printing ({@code
     * no-print}) and stop selection ({@code no-extract}); {@code header} is extra markup for the
     * top bar (the sign-out form); {@code script} names a same-origin script (CSP {@code script-src
     * 'self'} is sent only then).
     */
    static String page(String title, String bodyClass, String header, String main, String script) {
        StringBuilder b = new StringBuilder(4096 + main.length());
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta name=\"robots\" content=\"noindex, nofollow\">")
                .append("<title>")
                .append(esc(title))
                .append(" · mailsec protected mail</title>")
                .append("<link rel=\"stylesheet\" href=\"/static/portal.css\">");
        if (script != null) {
            b.append("<script src=\"").append(esc(script)).append("\" defer></script>");
        }
        b.append("</head><body class=\"")
                .append(esc(bodyClass))
                .append("\">")
                .append(
                        "<header class=\"bar\"><div class=\"bar-inner\"><a class=\"brand\" href=\"/\">")
                .append(
                        "<span class=\"shield\" aria-hidden=\"true\"></span><span class=\"brand-name\">mailsec</span>")
                .append("<span class=\"brand-sub\">Protected mail</span></a>")
                .append(header == null ? "" : header)
                .append("</div></header><main class=\"wrap\">")
                .append(main)
                .append("</main>")
                .append(
                        "<footer class=\"foot\"><p>This message is protected by its sender's organisation. ")
                .append(
                        "What you can do with it (reply, forward, print, download) is set by the sender.</p></footer>")
                .append("</body></html>\n");
        return b.toString();
    }

    static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + esc(name) + "\" value=\"" + esc(value) + "\">";
    }

    /**
     * {@code c***l@example.com}: enough to recognise one's own address, not to learn someone
     * else's.
     */
    static String mask(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return "***";
        }
        String local = address.substring(0, at);
        String masked =
                local.length() <= 2
                        ? local.charAt(0) + "***"
                        : local.charAt(0) + "***" + local.charAt(local.length() - 1);
        return masked + address.substring(at);
    }
}
