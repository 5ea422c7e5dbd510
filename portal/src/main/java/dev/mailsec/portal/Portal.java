package dev.mailsec.portal;

import static dev.mailsec.portal.HttpIo.html;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mailsec.metrics.Metrics;
import dev.mailsec.portal.SessionFilter.Need;
import dev.mailsec.rights.BrandingSet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.mail.MessagingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rights-protection portal's server: a JDK {@link HttpServer} with a bounded thread pool and
 * the limits below, serving the pages a reader outside the organisation goes through, by one {@link
 * RouteTable}. The routes, the session each needs ({@link SessionFilter}) and their handlers:
 *
 * <pre>
 * GET  /m/ID                 landing: sender, masked recipients, address form      SignInHandlers
 * POST /m/ID/passcode        send a one-time passcode (CSRF)          -> 303 /m/ID/code
 * GET  /m/ID/code            passcode form (pending)
 * POST /m/ID/code            check it (CSRF); OK signs in             -> 303 /m/ID/view
 * POST /m/ID/signout         clears the session (CSRF)
 * GET  /m/ID/view            the message (signed in)                               MessageHandlers
 * GET  /m/ID/attachment/N    download (EXTRACT only)
 * GET  /m/ID/reply[?all=1]   reply form (REPLY / REPLY_ALL); POST sends it through James (CSRF)
 * GET  /m/ID/forward         forward form (FORWARD only); POST protects and sends it (CSRF)
 * GET  /, /healthz, /static/portal.css, /static/print.js                            SiteHandlers
 * GET  /sender, /sender/code, /sender/messages[/ID]; POST /sender/passcode, /sender/code,
 *      /sender/messages/ID/revoke, /sender/signout  (an engine that is a SenderEngine) SenderHandlers
 *      /static/logo-HASH.png|jpg|svg, /static/brand-HASH.css (PortalBranding)
 * </pre>
 *
 * <p>All rights decisions are the engine's ({@link PortalEngine}). This class sets the server up,
 * keeps one client's requests in service bounded, and turns what a handler throws into a page: a
 * {@link PortalRefusal} into its status and page, a form over the limit into 413, any other failure
 * into 500 without detail.
 *
 * <p>Hostile clients: the JDK server reads a request's line and headers on a worker thread, so a
 * client that trickles its headers holds a worker. The portal therefore sets the JDK server's own
 * limits (unless the operator set them with {@code -D}): a request must arrive within {@link
 * #MAX_REQUEST_SECONDS} of its first byte, a response within {@link #MAX_RESPONSE_SECONDS}, a
 * connection that sends nothing is closed like an idle one, at most {@link #MAX_HEADERS} headers of
 * together {@link #MAX_HEADER_BYTES} bytes. The worker pool is large ({@code threads}, default 128)
 * since a worker waiting for bytes costs little, one client IP may have at most {@link
 * #MAX_REQUESTS_PER_CLIENT} requests in service, and a full pool refuses a connection instead of
 * making the accepting thread read it.
 */
public final class Portal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Portal.class);

    /** Seconds a request (line, headers and body) may take to arrive from its first byte. */
    static final int MAX_REQUEST_SECONDS = 10;

    /** Seconds from a request's last byte to the response's last byte. */
    static final int MAX_RESPONSE_SECONDS = 120;

    /** Seconds a kept-alive connection may wait for its next request. */
    static final int IDLE_SECONDS = 30;

    static final int MAX_HEADERS = 64;
    static final int MAX_HEADER_BYTES = 32 * 1024;

    /**
     * Requests one client IP may have in service at once (a browser opens at most 6 connections to
     * a host).
     */
    static final int MAX_REQUESTS_PER_CLIENT = 8;

    static {
        applyServerLimits();
    }

    /**
     * The JDK server's limits, which it reads once, when the JVM's first server is created: set
     * before any (the portal runs in a JVM of its own, and the metrics listener calls this before
     * creating its server); an operator's -D wins.
     */
    static void applyServerLimits() {
        defaultProperty("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        defaultProperty("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
        defaultProperty("sun.net.httpserver.idleInterval", IDLE_SECONDS);
        defaultProperty("sun.net.httpserver.maxReqHeaders", MAX_HEADERS);
        defaultProperty("sun.net.httpserver.maxReqHeaderSize", MAX_HEADER_BYTES);
    }

    private static void defaultProperty(String name, int value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, Integer.toString(value));
        }
    }

    private final PortalConfig config;
    private final PortalEngine engine;
    private final HttpServer server;
    private final ThreadPoolExecutor workers;

    /** Requests in service per client IP. */
    private final ConcurrentHashMap<String, Integer> inService = new ConcurrentHashMap<>();

    private final ExecutorService mailWorkers;
    private final SessionFilter sessions;
    private final RouteTable routes;

    private Portal(PortalConfig config, PortalEngine engine, PortalMailer mailer, Clock clock)
            throws IOException, PortalRefusal {
        this.config = config;
        this.engine = engine;
        this.server =
                HttpServer.create(new InetSocketAddress(config.bindHost(), config.port()), 256);
        AtomicInteger n = new AtomicInteger();
        // bounded: at most threads() requests read or in service, 1024 queued; beyond that the
        // connection is
        // closed (AbortPolicy: the JDK server closes what its executor refuses). Never CallerRuns:
        // the accepting
        // thread would then block reading a trickling client's headers, and nobody would be
        // accepted.
        this.workers =
                new ThreadPoolExecutor(
                        config.threads(),
                        config.threads(),
                        60,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(1024),
                        r -> {
                            Thread t = new Thread(r, "portal-http-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        },
                        new ThreadPoolExecutor.AbortPolicy());
        workers.allowCoreThreadTimeOut(true);
        this.mailWorkers =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "portal-mail");
                            t.setDaemon(true);
                            return t;
                        });
        this.sessions = new SessionFilter(config, engine, new SecureRandom(), clock);
        this.routes =
                routes(
                        sessions,
                        config.https(),
                        new SiteHandlers(engine),
                        new SignInHandlers(config, engine, mailer, sessions, clock, mailWorkers),
                        new MessageHandlers(engine, mailer, sessions));
        if (engine instanceof SenderEngine) {
            senderRoutes(
                    routes,
                    new SenderHandlers(
                            config,
                            (SenderEngine) engine,
                            mailer,
                            new SenderSessions(config, engine, new SecureRandom(), clock),
                            clock,
                            mailWorkers));
        }
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    /**
     * The one table of routes: the methods of a path's routes make the {@code Allow} header of a
     * 405; a message's pages may end in a slash ({@code /?}).
     */
    private static RouteTable routes(
            SessionFilter sessions,
            boolean https,
            SiteHandlers site,
            SignInHandlers signIn,
            MessageHandlers message) {
        return new RouteTable(sessions, https)
                .get("/", Need.NONE, site::home)
                .get("/healthz", Need.NONE, site::health)
                .file("/static/{file}", site::file)
                .get("/m/{id}/?", Need.NONE, signIn::landing)
                .get("/m/{id}/passcode/?", Need.NONE, signIn::toLanding)
                .post("/m/{id}/passcode/?", Need.ANY_STAGE, signIn::requestPasscode)
                .get("/m/{id}/code/?", Need.PENDING, signIn::codeForm)
                .post("/m/{id}/code/?", Need.PENDING, signIn::checkCode)
                .get("/m/{id}/signout/?", Need.NONE, signIn::toLanding)
                .post("/m/{id}/signout/?", Need.ANY_STAGE, signIn::signOut)
                .get("/m/{id}/view/?", Need.SIGNED_IN, message::view)
                .get("/m/{id}/attachment/{n}/?", Need.SIGNED_IN, message::attachment)
                .get("/m/{id}/reply/?", Need.SIGNED_IN, message::reply)
                .post("/m/{id}/reply/?", Need.SIGNED_IN, message::reply)
                .get("/m/{id}/forward/?", Need.SIGNED_IN, message::forward)
                .post("/m/{id}/forward/?", Need.SIGNED_IN, message::forward);
    }

    /**
     * The sender pages: each handler admits its own session ({@link SenderSessions}, apart from the
     * readers'), so the table's need is NONE; the form of a POST is read by the table as for any
     * POST.
     */
    private static void senderRoutes(RouteTable routes, SenderHandlers sender) {
        routes.get("/sender/?", Need.NONE, sender::start)
                .get("/sender/passcode/?", Need.NONE, sender::toStart)
                .post("/sender/passcode/?", Need.NONE, sender::requestPasscode)
                .get("/sender/code/?", Need.NONE, sender::codeForm)
                .post("/sender/code/?", Need.NONE, sender::checkCode)
                .get("/sender/messages/?", Need.NONE, sender::list)
                .get("/sender/messages/{id}/?", Need.NONE, sender::detail)
                .get("/sender/messages/{id}/revoke/?", Need.NONE, sender::toDetail)
                .post("/sender/messages/{id}/revoke/?", Need.NONE, sender::revoke)
                .get("/sender/signout/?", Need.NONE, sender::toStart)
                .post("/sender/signout/?", Need.NONE, sender::signOut);
    }

    /**
     * Starts a portal; fails when the port cannot be bound. The session keys are read now if DKM
     * answers; if it does not (down, unreachable, refusing), the portal starts all the same, its
     * {@code /healthz} and message pages answer 503 with {@code Retry-After}, and the keys are read
     * by the first request after DKM is back (docs/rights-portal.md, "DKM down at start"). {@code
     * PortalRefusal} is no longer thrown; it stays in the signature for callers compiled against
     * it.
     */
    public static Portal start(PortalConfig config, PortalEngine engine)
            throws IOException, PortalRefusal {
        return start(config, engine, Clock.systemUTC());
    }

    public static Portal start(PortalConfig config, PortalEngine engine, Clock clock)
            throws IOException, PortalRefusal {
        return start(config, engine, new PortalMailer(config), clock);
    }

    static Portal start(PortalConfig config, PortalEngine engine, PortalMailer mailer, Clock clock)
            throws IOException, PortalRefusal {
        Portal p = new Portal(config, engine, mailer, clock);
        try {
            p.sessions.requireKeys();
        } catch (PortalRefusal r) {
            PortalLog.warn(
                    LOG,
                    "rights portal: the session keys cannot be read yet ({}); message pages answer"
                            + " 503 until DKM answers",
                    r.getMessage());
        }
        p.server.start();
        LOG.info(
                "rights portal listening on {}:{} ({})",
                config.bindHost(),
                p.port(),
                config.publicUrl());
        return p;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The local URL (for tests; readers use {@link PortalConfig#publicUrl()}). */
    public URI localUrl() {
        return URI.create("http://" + config.bindHost() + ":" + port());
    }

    @Override
    public void close() {
        server.stop(1);
        workers.shutdownNow();
        mailWorkers.shutdown();
        try {
            mailWorkers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        PortalBranding.begin(ex, branding());
        String client = HttpIo.ip(ex);
        if (inService.merge(client, 1, Integer::sum) > MAX_REQUESTS_PER_CLIENT) {
            try {
                tooManyAtOnce(ex);
            } finally {
                leave(client);
                Metrics.global().portalRequest(ex.getResponseCode());
            }
            return;
        }
        try {
            serve(ex);
        } finally {
            leave(client);
            Metrics.global().portalRequest(ex.getResponseCode());
        }
    }

    /**
     * The brandings for one request: the engine's generation in force when it follows a reloadable
     * rights.xml (a reloaded {@code <branding>} shows on the next request, and only the new
     * generation's logo and stylesheet names are served: an old name answers 404), else the
     * config's.
     */
    private BrandingSet branding() {
        return engine.branding().orElseGet(config::branding);
    }

    private void leave(String client) {
        inService.computeIfPresent(client, (k, v) -> v <= 1 ? null : v - 1);
    }

    /**
     * More requests from one client than {@link #MAX_REQUESTS_PER_CLIENT}: 429 when the request is
     * complete; when a body is still to come the connection is closed unanswered, since answering
     * would make the JDK server wait for (drain) that body on this worker.
     */
    private void tooManyAtOnce(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (ex.getRequestHeaders().containsKey("Transfer-Encoding")
                || (length != null && !"0".equals(length.trim()))) {
            ex.close(); // before sendResponseHeaders: the JDK server closes the connection
            return;
        }
        HttpIo.securityHeaders(ex, config.https(), false);
        ex.getResponseHeaders().set("Retry-After", "1");
        ex.getResponseHeaders().set("Connection", "close");
        html(
                ex,
                429,
                Pages.error(
                        "Too many requests",
                        "Too many requests from your address at once. "
                                + "Please try again in a moment."));
    }

    private void serve(HttpExchange ex) throws IOException {
        try {
            routes.serve(ex);
        } catch (PortalRefusal r) {
            if (r.reason() == PortalRefusal.Reason.UNAVAILABLE) {
                ex.getResponseHeaders().set("Retry-After", "60");
            }
            html(ex, r.reason().status(), Pages.refusal(r));
        } catch (HttpIo.TooLarge e) {
            ex.getResponseHeaders().set("Connection", "close");
            html(
                    ex,
                    413,
                    Pages.error("Too large", "This request is larger than the portal accepts."));
        } catch (RuntimeException | MessagingException e) {
            // no detail to the browser (it might carry message content); the log has the cause,
            // never secrets
            PortalLog.warn(
                    LOG,
                    "portal request {} failed: {}",
                    ex.getRequestURI().getPath(),
                    e.toString());
            html(
                    ex,
                    500,
                    Pages.error(
                            "Something went wrong",
                            "The portal could not complete this request. " + "Please try again."));
        } finally {
            ex.close();
        }
    }
}
