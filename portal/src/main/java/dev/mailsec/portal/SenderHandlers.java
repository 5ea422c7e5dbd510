package dev.mailsec.portal;

import static dev.mailsec.portal.HttpIo.html;
import static dev.mailsec.portal.HttpIo.query;
import static dev.mailsec.portal.HttpIo.redirect;

import com.sun.net.httpserver.HttpExchange;
import dev.mailsec.portal.PortalEngine.CodeCheck;
import dev.mailsec.portal.RouteTable.Call;
import dev.mailsec.portal.SenderEngine.SentDetail;
import dev.mailsec.portal.SenderEngine.SentPage;
import dev.mailsec.portal.SessionCodec.Session;
import dev.mailsec.portal.SessionCodec.Stage;
import dev.mailsec.portal.SessionFilter.Need;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.mail.MessagingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender pages: a sender proves their address with a one-time passcode, then lists the messages
 * they protected, looks at one (who opened it, when) and revokes it. Sessions are {@link
 * SenderSessions}', apart from the readers'; every POST carries the session's CSRF token; all
 * decisions (whose message, logging) are the {@link SenderEngine}'s.
 *
 * <pre>
 * GET  /sender                          address form
 * POST /sender/passcode                 mail a passcode (CSRF)              -> 303 /sender/code
 * GET  /sender/code                     passcode form (pending)
 * POST /sender/code                     check it (CSRF); OK signs in        -> 303 /sender/messages
 * GET  /sender/messages[?page=N]        the sender's messages, newest first (signed in)
 * GET  /sender/messages/ID              one message: terms, access log, revoke form
 * POST /sender/messages/ID/revoke       revoke with a reason (CSRF)         -> 303 /sender/messages/ID
 * POST /sender/signout                  ends the sender session (CSRF)
 * </pre>
 */
final class SenderHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(Portal.class);
    private static final Duration ANONYMOUS_TTL = Duration.ofMinutes(30);

    /** Longest revocation reason kept. */
    static final int MAX_REASON = 500;

    private final PortalConfig config;
    private final SenderEngine engine;
    private final PortalMailer mailer;
    private final SenderSessions sessions;
    private final Clock clock;
    private final Executor mailWorkers;

    SenderHandlers(
            PortalConfig config,
            SenderEngine engine,
            PortalMailer mailer,
            SenderSessions sessions,
            Clock clock,
            Executor mailWorkers) {
        this.config = config;
        this.engine = engine;
        this.mailer = mailer;
        this.sessions = sessions;
        this.clock = clock;
        this.mailWorkers = mailWorkers;
    }

    /** {@code GET /sender}: the address form; a signed-in or pending sender goes on. */
    void start(Call c) throws IOException, PortalRefusal {
        HttpExchange ex = c.ex;
        Optional<Session> s = sessions.current(ex);
        boolean other = query(ex).containsKey("other");
        if (s.isPresent() && !other && s.get().stage() == Stage.SIGNED_IN) {
            redirect(ex, "/sender/messages");
            return;
        }
        if (s.isPresent() && !other && s.get().stage() == Stage.PENDING) {
            redirect(ex, "/sender/code");
            return;
        }
        Session anon =
                s.filter(x -> x.stage() == Stage.ANONYMOUS)
                        .orElseGet(() -> sessions.create(Stage.ANONYMOUS, "", ANONYMOUS_TTL));
        sessions.setCookie(ex, anon);
        html(ex, 200, SenderPages.start(sessions.csrfToken(anon), null));
    }

    /** A GET of a URL that only takes a form: back to the start. */
    void toStart(Call c) throws IOException {
        redirect(c.ex, "/sender");
    }

    /** {@code POST /sender/passcode}: mails a passcode if the address protected any message. */
    void requestPasscode(Call c) throws IOException, PortalRefusal {
        HttpExchange ex = c.ex;
        Optional<Session> admitted = sessions.admit(ex, Need.ANY_STAGE, true, c.form());
        if (admitted.isEmpty()) {
            return;
        }
        Optional<String> address = SignInHandlers.address(c.form().get("address"));
        if (address.isEmpty()) {
            html(
                    ex,
                    400,
                    SenderPages.start(
                            sessions.csrfToken(admitted.get()), "Enter a valid email address."));
            return;
        }
        Optional<String> code = engine.issueSenderPasscode(address.get(), HttpIo.ip(ex));
        Instant expires = clock.instant().plus(config.passcodeTtl());
        if (code.isPresent()) {
            String passcode = code.get();
            String to = address.get();
            // in the background, as for readers: the answer's timing tells no prober who sends
            mailWorkers.execute(
                    () -> {
                        try {
                            mailer.sendSenderPasscode(to, passcode, expires);
                        } catch (MessagingException | RuntimeException e) {
                            PortalLog.warn(
                                    LOG,
                                    "portal could not send a sender passcode: {}",
                                    e.toString());
                        }
                    });
        }
        Session pending =
                sessions.create(
                        Stage.PENDING,
                        address.get(),
                        config.passcodeTtl().plus(Duration.ofMinutes(5)));
        sessions.setCookie(ex, pending);
        redirect(ex, "/sender/code" + ("1".equals(c.form().get("resend")) ? "?resent=1" : ""));
    }

    /** {@code GET /sender/code}: the passcode form. */
    void codeForm(Call c) throws IOException, PortalRefusal {
        Optional<Session> s = sessions.admit(c.ex, Need.PENDING, false, c.form());
        if (s.isEmpty()) {
            return;
        }
        html(
                c.ex,
                200,
                SenderPages.enterCode(
                        s.get().address(),
                        sessions.csrfToken(s.get()),
                        null,
                        query(c.ex).containsKey("resent")));
    }

    /** {@code POST /sender/code}: the right passcode signs in (a new session). */
    void checkCode(Call c) throws IOException, PortalRefusal {
        HttpExchange ex = c.ex;
        Optional<Session> s = sessions.admit(ex, Need.PENDING, true, c.form());
        if (s.isEmpty()) {
            return;
        }
        String address = s.get().address();
        String csrf = sessions.csrfToken(s.get());
        String code = PasscodeAnswers.typed(c.form());
        if (!PasscodeAnswers.wellFormed(code)) {
            html(ex, 400, SenderPages.enterCode(address, csrf, PasscodeAnswers.MALFORMED, false));
            return;
        }
        CodeCheck check = engine.checkSenderPasscode(address, code, HttpIo.ip(ex));
        if (check.status() == CodeCheck.Status.OK) {
            Session signedIn = sessions.create(Stage.SIGNED_IN, address, config.sessionTtl());
            sessions.setCookie(ex, signedIn);
            redirect(ex, "/sender/messages");
            return;
        }
        String problem = PasscodeAnswers.problem(check, config.passcodeTtl());
        html(ex, 401, SenderPages.enterCode(address, csrf, problem, false));
    }

    /** {@code GET /sender/messages[?page=N]}: the sender's messages, newest first. */
    void list(Call c) throws IOException, PortalRefusal {
        Optional<Session> s = sessions.admit(c.ex, Need.SIGNED_IN, false, c.form());
        if (s.isEmpty()) {
            return;
        }
        int page = page(query(c.ex).get("page"));
        SentPage sent = engine.sent(s.get().address(), page, HttpIo.ip(c.ex));
        html(c.ex, 200, SenderPages.list(s.get().address(), sent, sessions.csrfToken(s.get())));
    }

    /** {@code GET /sender/messages/ID}: one message, who opened it and when, the revoke form. */
    void detail(Call c) throws IOException, PortalRefusal {
        Optional<Session> s = sessions.admit(c.ex, Need.SIGNED_IN, false, c.form());
        if (s.isEmpty()) {
            return;
        }
        SentDetail d = engine.sentMessage(s.get().address(), c.id(), HttpIo.ip(c.ex));
        html(
                c.ex,
                200,
                SenderPages.detail(
                        s.get().address(),
                        d,
                        sessions.csrfToken(s.get()),
                        null,
                        query(c.ex).containsKey("revoked")));
    }

    /** A GET of the revoke URL: back to the message. */
    void toDetail(Call c) throws IOException {
        redirect(c.ex, "/sender/messages/" + c.id());
    }

    /** {@code POST /sender/messages/ID/revoke}: revokes the sender's message with a reason. */
    void revoke(Call c) throws IOException, PortalRefusal {
        HttpExchange ex = c.ex;
        Optional<Session> s = sessions.admit(ex, Need.SIGNED_IN, true, c.form());
        if (s.isEmpty()) {
            return;
        }
        String sender = s.get().address();
        Optional<String> reason = reason(c.form().get("reason"));
        if (reason.isEmpty()) {
            SentDetail d = engine.sentMessage(sender, c.id(), HttpIo.ip(ex));
            html(
                    ex,
                    400,
                    SenderPages.detail(
                            sender,
                            d,
                            sessions.csrfToken(s.get()),
                            "Give a reason (up to " + MAX_REASON + " characters) for revoking.",
                            false));
            return;
        }
        engine.revokeAsSender(sender, c.id(), reason.get(), HttpIo.ip(ex));
        redirect(ex, "/sender/messages/" + c.id() + "?revoked=1");
    }

    /** {@code POST /sender/signout}: ends the sender session here and on every node. */
    void signOut(Call c) throws IOException, PortalRefusal {
        Optional<Session> s = sessions.admit(c.ex, Need.ANY_STAGE, true, c.form());
        if (s.isEmpty()) {
            return;
        }
        sessions.end(c.ex, s.get());
        html(c.ex, 200, SenderPages.signedOut());
    }

    /** A page number from the query; 0 for anything else. */
    static int page(String raw) {
        if (raw == null || !raw.matches("[0-9]{1,6}")) {
            return 0;
        }
        return Integer.parseInt(raw);
    }

    /** A revocation reason: trimmed, one line of printable text, 1 to {@link #MAX_REASON}. */
    static Optional<String> reason(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String t = raw.replaceAll("[\\r\\n\\t]+", " ").trim();
        if (t.isEmpty()
                || t.length() > MAX_REASON
                || t.codePoints().anyMatch(cp -> Character.isISOControl(cp))) {
            return Optional.empty();
        }
        return Optional.of(t);
    }
}
