package dev.mailsec.portal;

import static dev.mailsec.portal.HttpIo.html;

import com.sun.net.httpserver.HttpExchange;
import dev.mailsec.portal.SessionCodec.Session;
import dev.mailsec.portal.SessionFilter.Need;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.mail.MessagingException;

/**
 * The portal's routes: method and path pattern to handler, with the session each route {@linkplain
 * Need needs} (checked by the {@link SessionFilter} before the handler runs). Answers what no route
 * takes: 404 for a path no route has, 405 with an {@code Allow} header built from the table for a
 * method the path's routes do not take. HEAD is served by the GET route. Every answer carries
 * {@link HttpIo#securityHeaders}. A message's pages (those with a session) are refused {@link
 * PortalRefusal.Reason#UNAVAILABLE} while the session keys cannot be read ({@link
 * SessionFilter#requireKeys}).
 */
final class RouteTable {

    /**
     * What a handler gets: the exchange, the path's parameters, the form of a POST, the admitted
     * session.
     */
    static final class Call {
        final HttpExchange ex;
        private final Matcher path;
        private final Map<String, String> form;
        private final Session session;

        private Call(HttpExchange ex, Matcher path, Map<String, String> form, Session session) {
            this.ex = ex;
            this.path = path;
            this.form = form;
            this.session = session;
        }

        /** The licence id in the path ({@code {id}}). */
        String id() {
            return path.group("id");
        }

        /** A parameter of the path: {@code "n"} or {@code "file"}. */
        String param(String name) {
            return path.group(name);
        }

        boolean post() {
            return "POST".equals(ex.getRequestMethod());
        }

        /**
         * The urlencoded form of a POST (read before the session filter: it carries the CSRF
         * token); else empty.
         */
        Map<String, String> form() {
            return form;
        }

        /**
         * The session the route needs, as the filter admitted it (not on a route that needs none).
         */
        Session session() {
            if (session == null) {
                throw new IllegalStateException("this route needs no session");
            }
            return session;
        }
    }

    /** Answers one route. */
    @FunctionalInterface
    interface Handler {
        void handle(Call call) throws IOException, PortalRefusal, MessagingException;
    }

    private static final class Route {
        final String method;
        final Pattern path;
        final Need need;
        final boolean cacheable;
        final Handler handler;

        /** A message's page ({@code {id}} in the path): it has a session, so needs the keys. */
        final boolean message;

        Route(
                String method,
                Pattern path,
                Need need,
                boolean cacheable,
                Handler handler,
                boolean message) {
            this.method = method;
            this.path = path;
            this.need = need;
            this.cacheable = cacheable;
            this.handler = handler;
            this.message = message;
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final SessionFilter sessions;
    private final boolean https;

    RouteTable(SessionFilter sessions, boolean https) {
        this.sessions = sessions;
        this.https = https;
    }

    /** A page: GET (and HEAD), {@code Cache-Control: no-store}. */
    RouteTable get(String template, Need need, Handler handler) {
        return add("GET", template, need, false, handler);
    }

    /**
     * A form submission; its form is read and, unless {@code need} is NONE, its CSRF token checked.
     */
    RouteTable post(String template, Need need, Handler handler) {
        return add("POST", template, need, false, handler);
    }

    /** A public file: GET (and HEAD), cacheable. */
    RouteTable file(String template, Handler handler) {
        return add("GET", template, Need.NONE, true, handler);
    }

    private RouteTable add(
            String method, String template, Need need, boolean cacheable, Handler handler) {
        routes.add(
                new Route(
                        method,
                        compile(template),
                        need,
                        cacheable,
                        handler,
                        template.contains("{id}")));
        return this;
    }

    /**
     * A template is a regular expression for the whole path in which {@code {id}} stands for a
     * licence id, {@code {n}} for an attachment number and {@code {file}} for the rest of the path.
     */
    private static Pattern compile(String template) {
        return Pattern.compile(
                template.replace("{id}", "(?<id>[A-Za-z0-9_-]{8,128})")
                        .replace("{n}", "(?<n>[0-9]{1,4})")
                        .replace("{file}", "(?<file>.*)"),
                Pattern.DOTALL);
    }

    /** Answers the request (or leaves a refusal or a failure to the caller, which answers it). */
    void serve(HttpExchange ex) throws IOException, PortalRefusal, MessagingException {
        String path = ex.getRequestURI().getPath();
        String method = "HEAD".equals(ex.getRequestMethod()) ? "GET" : ex.getRequestMethod();
        List<Route> onPath = new ArrayList<>();
        Route route = null;
        Matcher params = null;
        for (Route r : routes) {
            Matcher m = r.path.matcher(path);
            if (m.matches()) {
                onPath.add(r);
                if (r.method.equals(method)) {
                    route = r;
                    params = m;
                }
            }
        }
        HttpIo.securityHeaders(ex, https, !onPath.isEmpty() && onPath.get(0).cacheable);
        if (onPath.isEmpty()) {
            html(
                    ex,
                    404,
                    Pages.refusal(new PortalRefusal(PortalRefusal.Reason.UNKNOWN, "no route")));
            return;
        }
        if (route == null) {
            ex.getResponseHeaders().set("Allow", allow(onPath));
            html(
                    ex,
                    405,
                    Pages.error("Method not allowed", "This page does not accept that request."));
            return;
        }
        Map<String, String> form = route.method.equals("POST") ? HttpIo.form(ex) : Map.of();
        if (route.message) {
            sessions.requireKeys();
        }
        Session session = null;
        if (route.need != Need.NONE) {
            Optional<Session> s =
                    sessions.admit(
                            ex, params.group("id"), route.need, route.method.equals("POST"), form);
            if (s.isEmpty()) {
                return;
            }
            session = s.get();
        }
        route.handler.handle(new Call(ex, params, form, session));
    }

    private static String allow(List<Route> onPath) {
        boolean get = onPath.stream().anyMatch(r -> r.method.equals("GET"));
        boolean post = onPath.stream().anyMatch(r -> r.method.equals("POST"));
        return (get ? "GET, HEAD" : "") + (get && post ? ", " : "") + (post ? "POST" : "");
    }
}
