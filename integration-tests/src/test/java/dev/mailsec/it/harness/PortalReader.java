package dev.mailsec.it.harness;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reader's browser on the rights portal, without a browser: its own cookies, no redirects
 * followed, and the passcode flow (ask for a code from a message's landing page, enter it) as a
 * reader's clicks, each step answering its status and what the page says.
 */
public final class PortalReader {

    private final String base;
    private final HttpClient http;

    /**
     * A new reader (no cookies) of the portal at {@code base} (e.g. {@code http://127.0.0.1:8090}).
     */
    public PortalReader(String base) {
        this(base, new CookieManager());
    }

    private PortalReader(String base, CookieHandler cookies) {
        this.base = base;
        this.http =
                HttpClient.newBuilder()
                        .cookieHandler(cookies)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    /** The same reader (its cookies) on another portal, e.g. another node's. */
    public PortalReader at(String otherBase) {
        return new PortalReader(otherBase, http.cookieHandler().orElseThrow());
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A form post of {@code name, value, ...} pairs. */
    public HttpResponse<String> post(String path, String... kv) throws Exception {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            s.append(s.length() == 0 ? "" : "&")
                    .append(kv[i])
                    .append('=')
                    .append(URLEncoder.encode(kv[i + 1], UTF_8));
        }
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(s.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Asks for a passcode from the landing page: the status and where it leads (or the heading).
     */
    public String ask(String id, String address) throws Exception {
        HttpResponse<String> landing = get("/m/" + id + "?other=1");
        if (landing.statusCode() != 200) {
            return landing.statusCode() + " " + heading(landing.body());
        }
        HttpResponse<String> r =
                post("/m/" + id + "/passcode", "csrf", csrf(landing.body()), "address", address);
        return r.statusCode()
                + " "
                + (r.statusCode() == 303
                        ? r.headers().firstValue("Location").orElse("")
                        : heading(r.body()));
    }

    /** Enters a code on the passcode form: status, heading and alert text. */
    public String enter(String id, String code) throws Exception {
        HttpResponse<String> page = get("/m/" + id + "/code");
        if (page.statusCode() != 200) {
            return page.statusCode() + " " + page.headers().firstValue("Location").orElse("");
        }
        HttpResponse<String> r =
                post("/m/" + id + "/code", "csrf", csrf(page.body()), "code", code);
        return r.statusCode() + " " + heading(r.body()) + " " + alert(r.body());
    }

    /** The page's CSRF token (asserted present). */
    public static String csrf(String page) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).as("csrf field in " + page).isTrue();
        return m.group(1);
    }

    /** The page's first heading, or "". */
    public static String heading(String page) {
        Matcher m = Pattern.compile("<h1[^>]*>(.*?)</h1>", Pattern.DOTALL).matcher(page);
        return m.find() ? m.group(1).trim() : "";
    }

    /** The page's alert text, or "". */
    public static String alert(String page) {
        Matcher m = Pattern.compile("class=\"alert\"[^>]*>(.*?)</", Pattern.DOTALL).matcher(page);
        return m.find() ? m.group(1).trim() : "";
    }
}
