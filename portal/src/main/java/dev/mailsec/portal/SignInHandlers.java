package dev.mailsec.portal;

import static dev.mailsec.portal.HttpIo.html;
import static dev.mailsec.portal.HttpIo.query;
import static dev.mailsec.portal.HttpIo.redirect;

import com.sun.net.httpserver.HttpExchange;
import dev.mailsec.portal.PortalEngine.CodeCheck;
import dev.mailsec.portal.RouteTable.Call;
import dev.mailsec.portal.SessionCodec.Session;
import dev.mailsec.portal.SessionCodec.Stage;
import dev.mailsec.rights.LicenceTerms;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader's way in and out: the landing page, the passcode request and its mail, the passcode
 * form and its check (which signs in), and sign-out.
 */
final class SignInHandlers {

    // the portal's lines keep the one logger name they always had
    private static final Logger LOG = LoggerFactory.getLogger(Portal.class);
    private static final Duration ANONYMOUS_TTL = Duration.ofMinutes(30);

    private final PortalConfig config;
    private final PortalEngine engine;
    private final PortalMailer mailer;
    private final SessionFilter sessions;
    private final Clock clock;
    private final Executor mailWorkers;

    SignInHandlers(
            PortalConfig config,
            PortalEngine engine,
            PortalMailer mailer,
            SessionFilter sessions,
            Clock clock,
            Executor mailWorkers) {
        this.config = config;
        this.engine = engine;
        this.mailer = mailer;
        this.sessions = sessions;
        this.clock = clock;
        this.mailWorkers = mailWorkers;
    }

    /**
     * {@code GET /m/ID}: sender, masked recipients and the address form; a reader already signed in
     * or waiting for a passcode goes on to the message or the passcode form (unless she asked for
     * {@code ?other}).
     */
    void landing(Call c) throws IOException, PortalRefusal {
        HttpExchange ex = c.ex;
        String id = c.id();
        LicenceTerms licence = engine.licence(id);
        PortalBranding.use(c.ex, licence.sender());
        Optional<Session> s = sessions.current(ex).filter(x -> x.licenceId().equals(id));
        boolean other = query(ex).containsKey("other");
        if (s.isPresent() && !other && s.get().stage() == Stage.SIGNED_IN) {
            redirect(ex, "/m/" + id + "/view");
            return;
        }
        if (s.isPresent() && !other && s.get().stage() == Stage.PENDING) {
            redirect(ex, "/m/" + id + "/code");
            return;
        }
        Session anon =
                s.filter(x -> x.stage() == Stage.ANONYMOUS)
                        .orElseGet(() -> sessions.create(Stage.ANONYMOUS, id, "", ANONYMOUS_TTL));
        sessions.setCookie(ex, anon);
        html(ex, 200, SignInPages.landing(licence, sessions.csrfToken(anon), null));
    }

    /**
     * A GET of a URL that only takes a form (passcode request, sign-out): back to the landing page.
     */
    void toLanding(Call c) throws IOException {
        redirect(c.ex, "/m/" + c.id());
    }

    /**
     * {@code POST /m/ID/passcode}: mails a one-time passcode when the address is a party (the
     * engine decides, and answers a non-party the same way) and goes on to the passcode form.
     */
    void requestPasscode(Call c) throws IOException, PortalRefusal {
        HttpExchange ex = c.ex;
        String id = c.id();
        Map<String, String> f = c.form();
        LicenceTerms licence = engine.licence(id);
        PortalBranding.use(c.ex, licence.sender());
        Optional<String> address = address(f.get("address"));
        if (address.isEmpty()) {
            html(
                    ex,
                    400,
                    SignInPages.landing(
                            licence,
                            sessions.csrfToken(c.session()),
                            "Enter a valid email address."));
            return;
        }
        Optional<String> code = engine.issuePasscode(id, address.get(), HttpIo.ip(ex));
        Instant expires = clock.instant().plus(config.passcodeTtl());
        if (code.isPresent()) {
            String passcode = code.get();
            String to = address.get();
            // sent in the background: a reply that came only after an SMTP round trip would tell a
            // prober which
            // addresses are recipients
            mailWorkers.execute(
                    () -> {
                        try {
                            mailer.sendPasscode(licence, to, passcode, expires);
                        } catch (MessagingException | RuntimeException e) {
                            PortalLog.warn(
                                    LOG,
                                    "portal could not send a passcode for licence {}: {}",
                                    id,
                                    e.toString());
                        }
                    });
        }
        Session pending =
                sessions.create(
                        Stage.PENDING,
                        id,
                        address.get(),
                        config.passcodeTtl().plus(Duration.ofMinutes(5)));
        sessions.setCookie(ex, pending);
        redirect(ex, "/m/" + id + "/code" + ("1".equals(f.get("resend")) ? "?resent=1" : ""));
    }

    /** {@code GET /m/ID/code}: the passcode form (for a session waiting for a passcode). */
    void codeForm(Call c) throws IOException, PortalRefusal {
        Session s = c.session();
        LicenceTerms licence = engine.licence(c.id());
        PortalBranding.use(c.ex, licence.sender());
        html(
                c.ex,
                200,
                SignInPages.enterCode(
                        licence,
                        s.address(),
                        sessions.csrfToken(s),
                        null,
                        query(c.ex).containsKey("resent")));
    }

    /**
     * {@code POST /m/ID/code}: checks the passcode; the right one signs in (a new session) and
     * opens the message.
     */
    void checkCode(Call c) throws IOException, PortalRefusal {
        HttpExchange ex = c.ex;
        String id = c.id();
        LicenceTerms licence = engine.licence(id);
        PortalBranding.use(c.ex, licence.sender());
        String address = c.session().address();
        String code = PasscodeAnswers.typed(c.form());
        String csrf = sessions.csrfToken(c.session());
        if (!PasscodeAnswers.wellFormed(code)) {
            html(
                    ex,
                    400,
                    SignInPages.enterCode(
                            licence, address, csrf, PasscodeAnswers.MALFORMED, false));
            return;
        }
        CodeCheck check = engine.checkPasscode(id, address, code, HttpIo.ip(ex));
        if (check.status() == CodeCheck.Status.OK) {
            Session signedIn = sessions.create(Stage.SIGNED_IN, id, address, config.sessionTtl());
            sessions.setCookie(ex, signedIn);
            redirect(ex, "/m/" + id + "/view");
            return;
        }
        String problem = PasscodeAnswers.problem(check, config.passcodeTtl());
        html(ex, 401, SignInPages.enterCode(licence, address, csrf, problem, false));
    }

    /** {@code POST /m/ID/signout}: ends the session, here and on every node. */
    void signOut(Call c) throws IOException, PortalRefusal {
        sessions.end(c.ex, c.session());
        html(c.ex, 200, SignInPages.signedOut());
    }

    /**
     * A bare email address, lower-cased; empty for anything else (a display name, a group,
     * controls).
     */
    static Optional<String> address(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String t = raw.trim();
        if (t.isEmpty() || t.length() > 254 || t.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return Optional.empty();
        }
        try {
            InternetAddress a = new InternetAddress(t, true);
            a.validate();
            if (a.getPersonal() != null || !a.getAddress().contains("@")) {
                return Optional.empty();
            }
            return Optional.of(a.getAddress().toLowerCase(Locale.ROOT));
        } catch (AddressException e) {
            return Optional.empty();
        }
    }
}
