package dev.mailsec.portal;

import static dev.mailsec.portal.HttpIo.html;
import static dev.mailsec.portal.HttpIo.redirect;

import com.sun.net.httpserver.HttpExchange;
import dev.mailsec.portal.SessionCodec.Session;
import dev.mailsec.portal.SessionCodec.Stage;
import dev.mailsec.portal.SessionFilter.Need;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The sender's session on the sender pages, apart from the readers' ({@link SessionFilter}): a
 * cookie of its own name, whose token and CSRF token are MACed for the realm {@value #REALM}, so a
 * reader's cookie never opens a sender page and a sender's cookie never opens a message (each fails
 * the other's MAC). The session's id field is {@value #REALM}; the address is the sender's.
 * Signed-in sessions end on every node as readers' do ({@link PortalEngine#endSession}).
 */
final class SenderSessions {

    /** The realm of the tokens and the session's id field. */
    static final String REALM = "sender";

    private final PortalConfig config;
    private final PortalEngine engine;
    private final SecureRandom random;
    private final Clock clock;
    private volatile SessionCodec codec;

    SenderSessions(PortalConfig config, PortalEngine engine, SecureRandom random, Clock clock) {
        this.config = config;
        this.engine = engine;
        this.random = random;
        this.clock = clock;
    }

    /** The cookie's name: the readers' with {@code _sender} (a {@code __Host-} prefix stays). */
    String cookieName() {
        return config.cookieName() + "_sender";
    }

    /** Reads the session keys if not read yet: 503 while DKM cannot be reached. */
    void requireKeys() throws PortalRefusal {
        if (codec == null) {
            synchronized (this) {
                if (codec == null) {
                    codec = new SessionCodec(engine.sessionKeys(), random, REALM);
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
     * The session the page needs; when there is none the answer is sent (a POST: the stale-form
     * page; a GET: back to {@code /sender}) and the result is empty.
     */
    Optional<Session> admit(HttpExchange ex, Need need, boolean post, Map<String, String> form)
            throws IOException, PortalRefusal {
        requireKeys();
        Optional<Session> s =
                current(ex)
                        .filter(
                                x ->
                                        need.admits(x)
                                                && (!post
                                                        || codec().csrfValid(x, form.get("csrf"))));
        if (s.isEmpty()) {
            if (post) {
                html(
                        ex,
                        403,
                        Pages.error(
                                "Please start again",
                                "This page was open too long or came from somewhere else. "
                                        + "Sign in to your sent messages again."));
            } else {
                redirect(ex, "/sender");
            }
        }
        return s;
    }

    /** The cookie's sender session, a signed-in one only while not signed out. */
    Optional<Session> current(HttpExchange ex) throws PortalRefusal {
        requireKeys();
        Optional<Session> s =
                codec().decode(HttpIo.cookie(ex, cookieName()), clock.instant())
                        .filter(x -> REALM.equals(x.licenceId()));
        return SessionCookies.unlessEnded(s, engine, "a sender session");
    }

    Session create(Stage stage, String address, Duration ttl) {
        return codec().create(stage, REALM, address, clock.instant().plus(ttl));
    }

    void setCookie(HttpExchange ex, Session s) {
        SessionCookies.set(
                ex, cookieName(), codec().encode(s), clock.instant(), s.expires(), config.https());
    }

    String csrfToken(Session s) {
        return codec().csrfToken(s);
    }

    /** Ends the session on every node and clears its cookie (the reader's cookie stays). */
    void end(HttpExchange ex, Session s) throws PortalRefusal {
        if (s.stage() == Stage.SIGNED_IN) {
            engine.endSession(s.nonce(), s.expires());
        }
        SessionCookies.clear(ex, cookieName(), config.https());
    }
}
