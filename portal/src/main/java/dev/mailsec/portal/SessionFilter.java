package dev.mailsec.portal;

import static dev.mailsec.portal.HttpIo.html;
import static dev.mailsec.portal.HttpIo.redirect;

import com.sun.net.httpserver.HttpExchange;
import dev.mailsec.portal.SessionCodec.Session;
import dev.mailsec.portal.SessionCodec.Stage;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The reader's session: reads the session cookie (authentic, unexpired, and for a signed-in session
 * not signed out on any node), admits a request to a route only with the session the route
 * {@linkplain Need needs} (and, for a POST, the form's CSRF token), and issues and ends sessions
 * (cookie, CSRF token, the signed-out record).
 */
final class SessionFilter {

    /**
     * The session a route needs before its handler runs; always one for the message in the path.
     */
    enum Need {
        /** None: a public page (its handler may still look at {@link #current}). */
        NONE,
        /** A session at any stage (the forms of the landing page, and sign-out). */
        ANY_STAGE,
        /** Waiting for the passcode. */
        PENDING,
        /** Signed in. */
        SIGNED_IN;

        boolean admits(Session s) {
            switch (this) {
                case PENDING:
                    return s.stage() == Stage.PENDING;
                case SIGNED_IN:
                    return s.stage() == Stage.SIGNED_IN;
                default:
                    return true;
            }
        }
    }

    private final PortalConfig config;
    private final PortalEngine engine;
    private final SecureRandom random;
    private final Clock clock;

    /** Made from the session keys once they could be read; null until then. */
    private volatile SessionCodec codec;

    SessionFilter(PortalConfig config, PortalEngine engine, SecureRandom random, Clock clock) {
        this.config = config;
        this.engine = engine;
        this.random = random;
        this.clock = clock;
    }

    /** With a codec whose keys are known already (tests). */
    SessionFilter(PortalConfig config, PortalEngine engine, SessionCodec codec, Clock clock) {
        this(config, engine, new SecureRandom(), clock);
        this.codec = codec;
    }

    /**
     * Reads the session keys (DKM) if they have not been read yet; every page that has a session
     * calls this first. The portal starts while DKM cannot be reached: until the keys are read,
     * such a page is refused {@link PortalRefusal.Reason#UNAVAILABLE} (503 with {@code
     * Retry-After}), and the first request after DKM is back reads them, without a restart. Once
     * read, the keys are kept for the life of the process, as they were when read at start.
     */
    void requireKeys() throws PortalRefusal {
        if (codec == null) {
            synchronized (this) {
                if (codec == null) {
                    codec = new SessionCodec(engine.sessionKeys(), random);
                }
            }
        }
    }

    private SessionCodec codec() {
        SessionCodec c = codec;
        if (c == null) {
            throw new IllegalStateException("session keys not read yet (requireKeys first)");
        }
        return c;
    }

    /**
     * The session the route needs for message {@code id}. When there is none the answer has been
     * sent and the result is empty: for a POST (whose session cookie or CSRF token does not check
     * out) the stale-form page, otherwise a redirect to the message's landing page.
     */
    Optional<Session> admit(
            HttpExchange ex, String id, Need need, boolean post, Map<String, String> form)
            throws IOException {
        Optional<Session> s =
                current(ex)
                        .filter(
                                x ->
                                        x.licenceId().equals(id)
                                                && need.admits(x)
                                                && (!post
                                                        || codec().csrfValid(x, form.get("csrf"))));
        if (s.isEmpty()) {
            if (post) {
                staleForm(ex);
            } else {
                redirect(ex, "/m/" + id);
            }
        }
        return s;
    }

    /**
     * The cookie's session; a signed-in one only while not signed out (the rights store knows, for
     * every node). When the store cannot say, the session is not trusted (the reader signs in
     * again).
     */
    Optional<Session> current(HttpExchange ex) {
        Optional<Session> s =
                codec().decode(HttpIo.cookie(ex, config.cookieName()), clock.instant());
        return SessionCookies.unlessEnded(s, engine, "a session");
    }

    /**
     * A new session (with a new nonce: signing in never keeps the old one) that lasts {@code ttl}.
     */
    Session create(Stage stage, String id, String address, Duration ttl) {
        return codec().create(stage, id, address, clock.instant().plus(ttl));
    }

    void setCookie(HttpExchange ex, Session s) {
        SessionCookies.set(
                ex,
                config.cookieName(),
                codec().encode(s),
                clock.instant(),
                s.expires(),
                config.https());
    }

    String csrfToken(Session s) {
        return codec().csrfToken(s);
    }

    /**
     * Ends the session on every node (a signed-in one is recorded as signed out) and clears it in
     * the browser.
     */
    void end(HttpExchange ex, Session s) throws PortalRefusal {
        if (s.stage() == Stage.SIGNED_IN) {
            // server-side, on every node: the cookie, replayed after sign-out, no longer opens
            // anything
            engine.endSession(s.nonce(), s.expires());
        }
        SessionCookies.clear(ex, config.cookieName(), config.https());
        ex.getResponseHeaders().set("Clear-Site-Data", "\"cache\", \"cookies\"");
    }

    /** A POST whose session cookie or CSRF token does not check out. */
    private static void staleForm(HttpExchange ex) throws IOException {
        html(
                ex,
                403,
                Pages.error(
                        "Please start again",
                        "This page was open too long or came from somewhere else. "
                                + "Open the link in your message again."));
    }
}
