package dev.mailsec.portal;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small helpers over {@link HttpExchange}: forms, query strings, cookies, and responses with our
 * headers.
 */
final class HttpIo {

    static final int MAX_FORM = 256 * 1024;

    /**
     * Strict CSP: nothing inline; only our stylesheet (and, where printing is allowed, our print
     * script).
     */
    static final String CSP =
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                    + "frame-ancestors 'none'; base-uri 'none'";

    private HttpIo() {}

    static Map<String, String> query(HttpExchange ex) {
        return parse(ex.getRequestURI().getRawQuery());
    }

    /** A request body over {@link #MAX_FORM}: the portal answers 413. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("form too large");
        }
    }

    /**
     * The urlencoded form body, at most {@link #MAX_FORM} bytes; anything else is an empty form.
     *
     * @throws TooLarge when Content-Length says more (nothing is read) or the body turns out longer
     */
    static Map<String, String> form(HttpExchange ex) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null
                || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return Map.of();
        }
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        try {
            if (length != null && Long.parseLong(length.trim()) > MAX_FORM) {
                throw new TooLarge();
            }
        } catch (NumberFormatException e) {
            throw new TooLarge(); // the JDK server has refused a malformed length already; be safe
            // anyway
        }
        try (InputStream in = ex.getRequestBody()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > MAX_FORM) {
                    throw new TooLarge();
                }
                out.write(buf, 0, n);
            }
            return parse(out.toString(StandardCharsets.US_ASCII));
        }
    }

    private static Map<String, String> parse(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(
                        URLDecoder.decode(k, StandardCharsets.UTF_8),
                        URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed escape: ignore that field
            }
        }
        return out;
    }

    static String cookie(HttpExchange ex, String name) {
        List<String> headers = ex.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return null;
        }
        for (String h : headers) {
            // ';' between cookies (RFC 6265); ',' and quoted values from RFC 2965 clients such as
            // java.net's
            for (String c : h.split("[;,]")) {
                String t = c.trim();
                if (t.startsWith(name + "=")) {
                    String v = t.substring(name.length() + 1);
                    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
                            ? v.substring(1, v.length() - 1)
                            : v;
                }
            }
        }
        return null;
    }

    /** Headers every response carries. */
    static void securityHeaders(HttpExchange ex, boolean https, boolean cacheable) {
        var h = ex.getResponseHeaders();
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        if (!h.containsKey("Content-Security-Policy")) {
            h.set("Content-Security-Policy", CSP);
        }
        if (cacheable) {
            h.set("Cache-Control", "public, max-age=3600");
        } else {
            h.set("Cache-Control", "no-store");
            h.set("Pragma", "no-cache");
        }
        if (https) {
            h.set("Strict-Transport-Security", "max-age=31536000");
        }
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    /**
     * An HTML page, in the frame of the branding chosen for this request ({@link PortalBranding}).
     */
    static void html(HttpExchange ex, int status, String page) throws IOException {
        send(
                ex,
                status,
                "text/html; charset=utf-8",
                PortalBranding.frame(ex, page).getBytes(StandardCharsets.UTF_8));
    }

    /** The client's IP address (the per-client limits' key). */
    static String ip(HttpExchange ex) {
        return ex.getRemoteAddress().getAddress().getHostAddress();
    }

    /** IP and user agent, for the access log. */
    static String client(HttpExchange ex) {
        String ua = ex.getRequestHeaders().getFirst("User-Agent");
        if (ua == null) {
            return ip(ex);
        }
        ua = ua.replaceAll("[\\p{Cntrl}]", " ");
        return ip(ex) + " " + (ua.length() > 120 ? ua.substring(0, 120) : ua);
    }

    /** 303 See Other: after every successful POST, so a reload never re-submits. */
    static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(303, -1);
        ex.close();
    }
}
