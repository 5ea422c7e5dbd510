package dev.mailsec.portal;

import static dev.mailsec.portal.HttpIo.html;

import com.sun.net.httpserver.HttpExchange;
import dev.mailsec.portal.RouteTable.Call;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pages that belong to no message: the home page, {@code /healthz} and the static files. */
final class SiteHandlers {

    // the portal's lines keep the one logger name they always had
    private static final Logger LOG = LoggerFactory.getLogger(Portal.class);

    private final PortalEngine engine;

    SiteHandlers(PortalEngine engine) {
        this.engine = engine;
    }

    /** {@code GET /}: what the portal is; readers arrive by a message's link. */
    void home(Call c) throws IOException {
        html(c.ex, 200, Pages.home());
    }

    /**
     * {@code GET /healthz} for a load balancer or systemd watchdog: 200 {@code ok} when the key
     * store and the state store answer, 503 {@code unavailable} with {@code Retry-After} when they
     * do not. No detail: the answer is public. Not logged per request (probes come every few
     * seconds); the cause is at debug level.
     */
    void health(Call c) throws IOException {
        HttpExchange ex = c.ex;
        int status = 200;
        String body = "ok\n";
        try {
            engine.checkReady();
        } catch (PortalRefusal r) {
            LOG.debug("healthz: not ready: {}", r.getMessage());
            status = 503;
            body = "unavailable\n";
            ex.getResponseHeaders().set("Retry-After", "60");
        }
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=us-ascii");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            ex.getResponseBody().write(bytes);
        }
    }

    /**
     * {@code GET /static/FILE}: the stylesheet and the print script, from the class path, and the
     * configured branding's logos and colours ({@link PortalBranding}); anything else 404.
     */
    void file(Call c) throws IOException {
        String name = c.param("file");
        Optional<PortalBranding.HttpFile> branded = PortalBranding.file(c.ex, name);
        String type;
        if (name.equals("portal.css")) {
            type = "text/css; charset=utf-8";
        } else if (name.equals("print.js")) {
            type = "text/javascript; charset=utf-8";
        } else if (branded.isPresent()) {
            HttpIo.send(c.ex, 200, branded.get().type, branded.get().bytes);
            return;
        } else {
            html(c.ex, 404, Pages.error("Not found", "No such file."));
            return;
        }
        try (InputStream in = Portal.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                html(c.ex, 404, Pages.error("Not found", "No such file."));
                return;
            }
            HttpIo.send(c.ex, 200, type, in.readAllBytes());
        }
    }
}
