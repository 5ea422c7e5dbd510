package dev.mailsec.portal;

import com.sun.net.httpserver.HttpExchange;
import dev.mailsec.portal.SessionCodec.Session;
import dev.mailsec.portal.SessionCodec.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session-cookie steps the readers' {@link SessionFilter} and the senders' {@link
 * SenderSessions} share: a signed-in session ended on any node no longer counts; the cookie is set
 * for the session's lifetime and cleared on sign-out (HttpOnly, SameSite=Strict, Secure under
 * https).
 */
final class SessionCookies {

    // the portal's lines keep the one logger name they always had
    private static final Logger LOG = LoggerFactory.getLogger(Portal.class);

    private SessionCookies() {}

    /**
     * The session unless it is signed in and was signed out (here or on another node); empty too
     * when that cannot be checked ({@code what} names the session in the warning).
     */
    static Optional<Session> unlessEnded(Optional<Session> s, PortalEngine engine, String what) {
        if (s.isPresent() && s.get().stage() == Stage.SIGNED_IN) {
            try {
                if (engine.sessionEnded(s.get().nonce())) {
                    return Optional.empty();
                }
            } catch (PortalRefusal r) {
                PortalLog.warn(LOG, "portal could not check " + what + ": {}", r.getMessage());
                return Optional.empty();
            }
        }
        return s;
    }

    /** Sets cookie {@code name} to the encoded session until it expires (at least a second). */
    static void set(
            HttpExchange ex,
            String name,
            String encoded,
            Instant now,
            Instant expires,
            boolean https) {
        long maxAge = Math.max(1, Duration.between(now, expires).getSeconds());
        ex.getResponseHeaders()
                .add(
                        "Set-Cookie",
                        name
                                + "="
                                + encoded
                                + "; Path=/; Max-Age="
                                + maxAge
                                + "; HttpOnly; SameSite=Strict"
                                + (https ? "; Secure" : ""));
    }

    /** Clears cookie {@code name} in the browser. */
    static void clear(HttpExchange ex, String name, boolean https) {
        ex.getResponseHeaders()
                .add(
                        "Set-Cookie",
                        name
                                + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                                + (https ? "; Secure" : ""));
    }
}
