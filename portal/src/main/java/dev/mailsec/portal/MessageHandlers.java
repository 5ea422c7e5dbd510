package dev.mailsec.portal;

import static dev.mailsec.portal.HttpIo.client;
import static dev.mailsec.portal.HttpIo.html;
import static dev.mailsec.portal.HttpIo.query;
import static dev.mailsec.portal.HttpIo.redirect;

import com.sun.net.httpserver.HttpExchange;
import dev.mailsec.portal.PortalEngine.OpenedView;
import dev.mailsec.portal.PortalEngine.PortalEvent;
import dev.mailsec.portal.RouteTable.Call;
import dev.mailsec.rights.LicenceTerms;
import dev.mailsec.rights.Right;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a signed-in reader does with the message, each within the rights its licence grants: read
 * it, download an attachment, reply (through James) and forward (protected again). The {@link
 * SessionFilter} has admitted every call; the engine opens the message anew for each (so revocation
 * and expiry take effect at the next click).
 */
final class MessageHandlers {

    // the portal's lines keep the one logger name they always had
    private static final Logger LOG = LoggerFactory.getLogger(Portal.class);
    private static final int MAX_FORWARD_RECIPIENTS = 20;

    private final PortalEngine engine;
    private final PortalMailer mailer;
    private final SessionFilter sessions;

    MessageHandlers(PortalEngine engine, PortalMailer mailer, SessionFilter sessions) {
        this.engine = engine;
        this.mailer = mailer;
        this.sessions = sessions;
    }

    /**
     * {@code GET /m/ID/view}: the sanitised message; the print script only where PRINT is granted.
     */
    void view(Call c) throws IOException, PortalRefusal, MessagingException {
        HttpExchange ex = c.ex;
        String reader = c.session().address();
        OpenedView opened = engine.open(c.id(), reader, client(ex));
        PortalBranding.use(ex, opened.licence().sender());
        MessageView v = MessageView.of(opened.message());
        String sent = query(ex).get("sent");
        String notice =
                "reply".equals(sent)
                        ? "Your reply was sent."
                        : "forward".equals(sent)
                                ? "The message was forwarded, still protected."
                                : null;
        if (opened.licence().allows(Right.PRINT)) {
            ex.getResponseHeaders()
                    .set("Content-Security-Policy", HttpIo.CSP + "; script-src 'self'");
        }
        html(
                ex,
                200,
                MessagePages.message(
                        opened.licence(), v, reader, sessions.csrfToken(c.session()), notice));
    }

    /** {@code GET /m/ID/attachment/N}: a download (EXTRACT only), sandboxed. */
    void attachment(Call c) throws IOException, PortalRefusal, MessagingException {
        HttpExchange ex = c.ex;
        String id = c.id();
        String reader = c.session().address();
        LicenceTerms licence = engine.licence(id);
        PortalBranding.use(c.ex, licence.sender());
        if (!licence.allows(Right.EXTRACT)) {
            throw new PortalRefusal(PortalRefusal.Reason.NOT_ALLOWED, "no extract");
        }
        OpenedView opened = engine.open(id, reader, client(ex));
        Optional<MessageView.Attachment> a =
                MessageView.of(opened.message()).attachment(Integer.parseInt(c.param("n")));
        if (a.isEmpty()) {
            html(
                    ex,
                    404,
                    Pages.error("No such attachment", "This message has no such attachment."));
            return;
        }
        byte[] bytes = a.get().bytes();
        engine.record(id, reader, PortalEvent.ATTACHMENT_DOWNLOADED, client(ex), a.get().name);
        ex.getResponseHeaders()
                .set(
                        "Content-Disposition",
                        "attachment; filename*=UTF-8''" + rfc5987(a.get().name));
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; sandbox");
        HttpIo.send(ex, 200, "application/octet-stream", bytes);
    }

    /**
     * {@code GET /m/ID/reply[?all=1]}: the reply form (REPLY, or REPLY_ALL with {@code all=1});
     * {@code POST} sends the reply from the reader to the sender (and the other recipients) through
     * James.
     */
    void reply(Call c) throws IOException, PortalRefusal, MessagingException {
        HttpExchange ex = c.ex;
        String id = c.id();
        boolean post = c.post();
        Map<String, String> f = c.form();
        boolean all = "1".equals(post ? f.get("all") : query(ex).get("all"));
        String reader = c.session().address();
        LicenceTerms licence = engine.licence(id);
        PortalBranding.use(c.ex, licence.sender());
        if (!licence.allows(all ? Right.REPLY_ALL : Right.REPLY)) {
            throw new PortalRefusal(PortalRefusal.Reason.NOT_ALLOWED, "no reply");
        }
        List<String> to = replyRecipients(licence, reader, all);
        OpenedView opened = engine.open(id, reader, client(ex));
        MessageView v = MessageView.of(opened.message());
        String csrf = sessions.csrfToken(c.session());
        if (!post) {
            html(ex, 200, MessagePages.reply(licence, v, reader, to, all, csrf, null));
            return;
        }
        String body = f.getOrDefault("body", "");
        if (body.isBlank()) {
            html(
                    ex,
                    400,
                    MessagePages.reply(
                            licence, v, reader, to, all, csrf, "Write something to send."));
            return;
        }
        MimeMessage m = mailer.reply(licence, v, reader, to, body);
        try {
            mailer.send(m, m.getAllRecipients());
        } catch (MessagingException e) {
            PortalLog.warn(
                    LOG, "portal could not send a reply for licence {}: {}", id, e.toString());
            html(
                    ex,
                    503,
                    MessagePages.reply(
                            licence,
                            v,
                            reader,
                            to,
                            all,
                            csrf,
                            "The reply could not be sent right now. Please try again in a minute."));
            return;
        }
        engine.record(
                id,
                reader,
                PortalEvent.REPLIED,
                client(ex),
                (all ? "reply-all to " : "reply to ") + String.join(", ", to));
        redirect(ex, "/m/" + id + "/view?sent=reply");
    }

    /**
     * {@code GET /m/ID/forward}: the forward form (FORWARD only; a refused attempt is logged);
     * {@code POST} protects the forward under the same licence terms and sends it.
     */
    void forward(Call c) throws IOException, PortalRefusal, MessagingException {
        HttpExchange ex = c.ex;
        String id = c.id();
        String reader = c.session().address();
        LicenceTerms licence = engine.licence(id);
        PortalBranding.use(c.ex, licence.sender());
        if (!licence.allows(Right.FORWARD)) {
            engine.record(
                    id,
                    reader,
                    PortalEvent.FORWARD_BLOCKED,
                    client(ex),
                    "portal forward refused: template " + licence.template());
            throw new PortalRefusal(PortalRefusal.Reason.NOT_ALLOWED, "no forward");
        }
        OpenedView opened = engine.open(id, reader, client(ex));
        MessageView v = MessageView.of(opened.message());
        String csrf = sessions.csrfToken(c.session());
        if (!c.post()) {
            html(ex, 200, MessagePages.forward(licence, v, reader, csrf, null));
            return;
        }
        Map<String, String> f = c.form();
        List<String> to = new ArrayList<>();
        for (String part : f.getOrDefault("to", "").split("[,;\\s]+")) {
            if (!part.isBlank()) {
                Optional<String> a = SignInHandlers.address(part);
                if (a.isEmpty()) {
                    html(
                            ex,
                            400,
                            MessagePages.forward(
                                    licence, v, reader, csrf, "Not an email address: " + part));
                    return;
                }
                to.add(a.get());
            }
        }
        if (to.isEmpty() || to.size() > MAX_FORWARD_RECIPIENTS) {
            html(
                    ex,
                    400,
                    MessagePages.forward(
                            licence,
                            v,
                            reader,
                            csrf,
                            "Enter between 1 and " + MAX_FORWARD_RECIPIENTS + " addresses."));
            return;
        }
        MimeMessage fwd =
                mailer.forward(
                        licence, opened.message(), v, reader, to, f.getOrDefault("note", ""));
        MimeMessage wrapper = engine.protectForward(licence, fwd, reader, to);
        Address[] rcpt = new Address[to.size()];
        for (int i = 0; i < rcpt.length; i++) {
            rcpt[i] = new InternetAddress(to.get(i));
        }
        try {
            mailer.send(wrapper, rcpt);
        } catch (MessagingException e) {
            PortalLog.warn(
                    LOG, "portal could not send a forward for licence {}: {}", id, e.toString());
            html(
                    ex,
                    503,
                    MessagePages.forward(
                            licence, v, reader, csrf, "The message could not be sent right now."));
            return;
        }
        engine.record(
                id,
                reader,
                PortalEvent.FORWARDED,
                client(ex),
                "forwarded (protected) to " + String.join(", ", to));
        redirect(ex, "/m/" + id + "/view?sent=forward");
    }

    private static List<String> replyRecipients(LicenceTerms licence, String reader, boolean all) {
        Set<String> to = new LinkedHashSet<>();
        to.add(licence.sender().toLowerCase(Locale.ROOT));
        if (all) {
            to.addAll(licence.recipients());
        }
        to.remove(reader.toLowerCase(Locale.ROOT));
        if (to.isEmpty()) {
            to.add(licence.sender().toLowerCase(Locale.ROOT));
        }
        return new ArrayList<>(to);
    }

    /**
     * A file name for {@code filename*=UTF-8''} (RFC 5987): unreserved characters as they are, the
     * rest escaped.
     */
    private static String rfc5987(String name) {
        StringBuilder b = new StringBuilder();
        for (byte c : name.getBytes(StandardCharsets.UTF_8)) {
            int v = c & 0xff;
            if ((v >= 'a' && v <= 'z')
                    || (v >= 'A' && v <= 'Z')
                    || (v >= '0' && v <= '9')
                    || "-._~".indexOf(v) >= 0) {
                b.append((char) v);
            } else {
                b.append('%').append(String.format("%02X", v));
            }
        }
        return b.toString();
    }
}
