package dev.mailsec.portal;

import static dev.mailsec.portal.HttpIo.form;
import static dev.mailsec.portal.HttpIo.html;
import static dev.mailsec.portal.HttpIo.query;
import static dev.mailsec.portal.HttpIo.redirect;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mailsec.portal.PortalEngine.CodeCheck;
import dev.mailsec.portal.PortalEngine.OpenedView;
import dev.mailsec.portal.PortalEngine.PortalEvent;
import dev.mailsec.portal.SessionCodec.Session;
import dev.mailsec.portal.SessionCodec.Stage;
import dev.mailsec.rights.LicenceTerms;
import dev.mailsec.rights.Right;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rights-protection portal: a JDK {@link HttpServer} with a bounded thread pool, serving the pages a
 * reader outside the organisation goes through (landing, passcode, message, reply, forward, sign out).
 * All rights decisions are the engine's ({@link PortalEngine}); this class maps HTTP onto it.
 *
 * <pre>
 * GET  /m/ID                 landing: sender, masked recipients, address form
 * POST /m/ID/passcode        send a one-time passcode (CSRF)          -> 303 /m/ID/code
 * GET  /m/ID/code            passcode form
 * POST /m/ID/code            check it (CSRF); OK signs in             -> 303 /m/ID/view
 * GET  /m/ID/view            the message (signed in)
 * GET  /m/ID/attachment/N    download (EXTRACT only)
 * GET  /m/ID/reply[?all=1]   reply form (REPLY / REPLY_ALL); POST sends it through James (CSRF)
 * GET  /m/ID/forward         forward form (FORWARD only); POST protects and sends it (CSRF)
 * POST /m/ID/signout         clears the session (CSRF)
 * GET  /static/portal.css, /static/print.js
 * </pre>
 *
 * <p>Hostile clients: the JDK server reads a request's line and headers on a worker thread, so a client that
 * trickles its headers holds a worker. The portal therefore sets the JDK server's own limits (unless the
 * operator set them with {@code -D}): a request must arrive within {@link #MAX_REQUEST_SECONDS} of its first
 * byte, a response within {@link #MAX_RESPONSE_SECONDS}, a connection that sends nothing is closed like an
 * idle one, at most {@link #MAX_HEADERS} headers of together {@link #MAX_HEADER_BYTES} bytes. The worker pool
 * is large ({@code threads}, default 128) since a worker waiting for bytes costs little, one client IP may have
 * at most {@link #MAX_REQUESTS_PER_CLIENT} requests in service, and a full pool refuses a connection instead of
 * making the accepting thread read it.
 */
public final class Portal implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Portal.class);
  private static final Pattern ROUTE =
      Pattern.compile("^/m/([A-Za-z0-9_-]{8,128})(/(passcode|code|view|reply|forward|signout|attachment/([0-9]{1,4})))?/?$");
  private static final Duration ANONYMOUS_TTL = Duration.ofMinutes(30);
  private static final int MAX_FORWARD_RECIPIENTS = 20;
  /** Seconds a request (line, headers and body) may take to arrive from its first byte. */
  static final int MAX_REQUEST_SECONDS = 10;
  /** Seconds from a request's last byte to the response's last byte. */
  static final int MAX_RESPONSE_SECONDS = 120;
  /** Seconds a kept-alive connection may wait for its next request. */
  static final int IDLE_SECONDS = 30;
  static final int MAX_HEADERS = 64;
  static final int MAX_HEADER_BYTES = 32 * 1024;
  /** Requests one client IP may have in service at once (a browser opens at most 6 connections to a host). */
  static final int MAX_REQUESTS_PER_CLIENT = 8;

  static {
    // the JDK server reads these once, when the first server of the JVM is created: set before any
    // (the portal runs in a JVM of its own); an operator's -D wins
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
  private final PortalMailer mailer;
  private final Clock clock;
  private final SessionCodec codec;
  private final HttpServer server;
  private final ThreadPoolExecutor workers;
  /** Requests in service per client IP. */
  private final ConcurrentHashMap<String, Integer> inService = new ConcurrentHashMap<>();
  private final ExecutorService mailWorkers;

  private Portal(PortalConfig config, PortalEngine engine, PortalMailer mailer, Clock clock) throws IOException,
      PortalRefusal {
    this.config = config;
    this.engine = engine;
    this.mailer = mailer;
    this.clock = clock;
    this.codec = new SessionCodec(engine.sessionKeys(), new SecureRandom());
    this.server = HttpServer.create(new InetSocketAddress(config.bindHost(), config.port()), 256);
    AtomicInteger n = new AtomicInteger();
    // bounded: at most threads() requests read or in service, 1024 queued; beyond that the connection is
    // closed (AbortPolicy: the JDK server closes what its executor refuses). Never CallerRuns: the accepting
    // thread would then block reading a trickling client's headers, and nobody would be accepted.
    this.workers = new ThreadPoolExecutor(config.threads(), config.threads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(1024), r -> {
          Thread t = new Thread(r, "portal-http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    workers.allowCoreThreadTimeOut(true);
    this.mailWorkers = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "portal-mail");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(workers);
    server.createContext("/", this::handle);
  }

  /** Starts a portal; fails when the session key cannot be read or the port cannot be bound. */
  public static Portal start(PortalConfig config, PortalEngine engine) throws IOException, PortalRefusal {
    return start(config, engine, Clock.systemUTC());
  }

  public static Portal start(PortalConfig config, PortalEngine engine, Clock clock) throws IOException,
      PortalRefusal {
    return start(config, engine, new PortalMailer(config), clock);
  }

  static Portal start(PortalConfig config, PortalEngine engine, PortalMailer mailer, Clock clock)
      throws IOException, PortalRefusal {
    Portal p = new Portal(config, engine, mailer, clock);
    p.server.start();
    LOG.info("rights portal listening on {}:{} ({})", config.bindHost(), p.port(), config.publicUrl());
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

  // ---------------------------------------------------------------------------------------------------------

  private void handle(HttpExchange ex) throws IOException {
    String client = ip(ex);
    if (inService.merge(client, 1, Integer::sum) > MAX_REQUESTS_PER_CLIENT) {
      try {
        tooManyAtOnce(ex);
      } finally {
        leave(client);
      }
      return;
    }
    try {
      serve(ex);
    } finally {
      leave(client);
    }
  }

  private void leave(String client) {
    inService.computeIfPresent(client, (k, v) -> v <= 1 ? null : v - 1);
  }

  /**
   * More requests from one client than {@link #MAX_REQUESTS_PER_CLIENT}: 429 when the request is complete;
   * when a body is still to come the connection is closed unanswered, since answering would make the JDK
   * server wait for (drain) that body on this worker.
   */
  private void tooManyAtOnce(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (ex.getRequestHeaders().containsKey("Transfer-Encoding") || (length != null && !"0".equals(length.trim()))) {
      ex.close(); // before sendResponseHeaders: the JDK server closes the connection
      return;
    }
    HttpIo.securityHeaders(ex, config.https(), false);
    ex.getResponseHeaders().set("Retry-After", "1");
    ex.getResponseHeaders().set("Connection", "close");
    html(ex, 429, Pages.error("Too many requests", "Too many requests from your address at once. "
        + "Please try again in a moment."));
  }

  private void serve(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (path.startsWith("/static/")) {
        HttpIo.securityHeaders(ex, config.https(), true);
        if (!isGet(method)) {
          methodNotAllowed(ex);
          return;
        }
        serveStatic(ex, path.substring("/static/".length()));
        return;
      }
      HttpIo.securityHeaders(ex, config.https(), false);
      if (path.equals("/healthz")) {
        if (isGet(method)) {
          health(ex);
        } else {
          methodNotAllowed(ex);
        }
        return;
      }
      if (path.equals("/")) {
        if (isGet(method)) {
          html(ex, 200, Pages.home());
        } else {
          methodNotAllowed(ex);
        }
        return;
      }
      Matcher m = ROUTE.matcher(path);
      if (!m.matches()) {
        html(ex, 404, Pages.refusal(new PortalRefusal(PortalRefusal.Reason.UNKNOWN, "no route")));
        return;
      }
      String id = m.group(1);
      String action = m.group(3) == null ? "" : m.group(3).startsWith("attachment") ? "attachment" : m.group(3);
      boolean post = "POST".equals(method);
      if (!post && !isGet(method)) {
        boolean readOnly = action.isEmpty() || action.equals("view") || action.equals("attachment");
        methodNotAllowed(ex, readOnly ? "GET, HEAD" : "GET, HEAD, POST");
        return;
      }
      try {
        route(ex, id, action, post, m.group(4));
      } catch (PortalRefusal r) {
        refuse(ex, id, r);
      }
    } catch (HttpIo.TooLarge e) {
      ex.getResponseHeaders().set("Connection", "close");
      html(ex, 413, Pages.error("Too large", "This request is larger than the portal accepts."));
    } catch (RuntimeException | MessagingException e) {
      // no detail to the browser (it might carry message content); the log has the cause, never secrets
      PortalLog.warn(LOG, "portal request {} failed: {}", ex.getRequestURI().getPath(), e.toString());
      html(ex, 500, Pages.error("Something went wrong", "The portal could not complete this request. "
          + "Please try again."));
    } finally {
      ex.close();
    }
  }

  /**
   * {@code GET /healthz} for a load balancer or systemd watchdog: 200 {@code ok} when the key store and the
   * state store answer, 503 {@code unavailable} with {@code Retry-After} when they do not. No detail: the
   * answer is public. Not logged per request (probes come every few seconds); the cause is at debug level.
   */
  private void health(HttpExchange ex) throws IOException {
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

  private static boolean isGet(String method) {
    return "GET".equals(method) || "HEAD".equals(method);
  }

  private void route(HttpExchange ex, String id, String action, boolean post, String attachmentIndex)
      throws IOException, PortalRefusal, MessagingException {
    switch (action) {
      case "":
        if (post) {
          methodNotAllowed(ex);
        } else {
          landing(ex, id);
        }
        return;
      case "passcode":
        if (post) {
          requestPasscode(ex, id);
        } else {
          redirect(ex, "/m/" + id);
        }
        return;
      case "code":
        if (post) {
          checkCode(ex, id);
        } else {
          codePage(ex, id);
        }
        return;
      case "view":
        if (post) {
          methodNotAllowed(ex);
        } else {
          view(ex, id);
        }
        return;
      case "attachment":
        if (post) {
          methodNotAllowed(ex);
        } else {
          attachment(ex, id, Integer.parseInt(attachmentIndex));
        }
        return;
      case "reply":
        reply(ex, id, post);
        return;
      case "forward":
        forward(ex, id, post);
        return;
      case "signout":
        if (post) {
          signOut(ex, id);
        } else {
          redirect(ex, "/m/" + id);
        }
        return;
      default:
        html(ex, 404, Pages.refusal(new PortalRefusal(PortalRefusal.Reason.UNKNOWN, "no route")));
    }
  }

  private static void methodNotAllowed(HttpExchange ex) throws IOException {
    methodNotAllowed(ex, "GET, HEAD");
  }

  private static void methodNotAllowed(HttpExchange ex, String allow) throws IOException {
    ex.getResponseHeaders().set("Allow", allow);
    html(ex, 405, Pages.error("Method not allowed", "This page does not accept that request."));
  }

  private void refuse(HttpExchange ex, String id, PortalRefusal r) throws IOException {
    if (r.reason() == PortalRefusal.Reason.UNAVAILABLE) {
      ex.getResponseHeaders().set("Retry-After", "60");
    }
    html(ex, r.reason().status(), Pages.refusal(r));
  }

  // ---------------------------------------------------------------------------------------------------------
  // pages

  private void landing(HttpExchange ex, String id) throws IOException, PortalRefusal {
    LicenceTerms licence = engine.licence(id);
    Optional<Session> s = session(ex).filter(x -> x.licenceId().equals(id));
    boolean other = query(ex).containsKey("other");
    if (s.isPresent() && !other && s.get().stage() == Stage.SIGNED_IN) {
      redirect(ex, "/m/" + id + "/view");
      return;
    }
    if (s.isPresent() && !other && s.get().stage() == Stage.PENDING) {
      redirect(ex, "/m/" + id + "/code");
      return;
    }
    Session anon = s.filter(x -> x.stage() == Stage.ANONYMOUS)
        .orElseGet(() -> codec.create(Stage.ANONYMOUS, id, "", now().plus(ANONYMOUS_TTL)));
    setCookie(ex, anon);
    html(ex, 200, Pages.landing(licence, codec.csrfToken(anon), null));
  }

  private void requestPasscode(HttpExchange ex, String id) throws IOException, PortalRefusal {
    Map<String, String> f = form(ex);
    Optional<Session> s = checkedSession(ex, id, f);
    if (s.isEmpty()) {
      staleForm(ex, id);
      return;
    }
    LicenceTerms licence = engine.licence(id);
    Optional<String> address = address(f.get("address"));
    if (address.isEmpty()) {
      html(ex, 400, Pages.landing(licence, codec.csrfToken(s.get()), "Enter a valid email address."));
      return;
    }
    Optional<String> code = engine.issuePasscode(id, address.get(), ip(ex));
    Instant expires = now().plus(config.passcodeTtl());
    if (code.isPresent()) {
      String c = code.get();
      String to = address.get();
      // sent in the background: a reply that came only after an SMTP round trip would tell a prober which
      // addresses are recipients
      mailWorkers.execute(() -> {
        try {
          mailer.sendPasscode(licence, to, c, expires);
        } catch (MessagingException | RuntimeException e) {
          PortalLog.warn(LOG, "portal could not send a passcode for licence {}: {}", id, e.toString());
        }
      });
    }
    Session pending = codec.create(Stage.PENDING, id, address.get(),
        now().plus(config.passcodeTtl()).plus(Duration.ofMinutes(5)));
    setCookie(ex, pending);
    redirect(ex, "/m/" + id + "/code" + ("1".equals(f.get("resend")) ? "?resent=1" : ""));
  }

  private void codePage(HttpExchange ex, String id) throws IOException, PortalRefusal {
    Optional<Session> s = session(ex).filter(x -> x.licenceId().equals(id) && x.stage() == Stage.PENDING);
    if (s.isEmpty()) {
      redirect(ex, "/m/" + id);
      return;
    }
    LicenceTerms licence = engine.licence(id);
    html(ex, 200, Pages.enterCode(licence, s.get().address(), codec.csrfToken(s.get()), null,
        query(ex).containsKey("resent")));
  }

  private void checkCode(HttpExchange ex, String id) throws IOException, PortalRefusal {
    Map<String, String> f = form(ex);
    Optional<Session> s = checkedSession(ex, id, f).filter(x -> x.stage() == Stage.PENDING);
    if (s.isEmpty()) {
      staleForm(ex, id);
      return;
    }
    LicenceTerms licence = engine.licence(id);
    String address = s.get().address();
    String code = f.getOrDefault("code", "").replaceAll("[\\s-]", "");
    String csrf = codec.csrfToken(s.get());
    if (!code.matches("[0-9]{4,10}")) {
      html(ex, 400, Pages.enterCode(licence, address, csrf, "A passcode is 6 to 8 digits.", false));
      return;
    }
    CodeCheck check = engine.checkPasscode(id, address, code, ip(ex));
    switch (check.status()) {
      case OK:
        Session signedIn = codec.create(Stage.SIGNED_IN, id, address, now().plus(config.sessionTtl()));
        setCookie(ex, signedIn);
        redirect(ex, "/m/" + id + "/view");
        return;
      case WRONG:
        html(ex, 401, Pages.enterCode(licence, address, csrf, "That passcode is not right. " + check.remaining()
            + (check.remaining() == 1 ? " attempt" : " attempts") + " left.", false));
        return;
      case LOCKED:
        throw new PortalRefusal(PortalRefusal.Reason.LOCKED, "locked");
      case EXPIRED:
        html(ex, 401, Pages.enterCode(licence, address, csrf,
            "That passcode has expired. Send a new passcode and enter it within "
                + config.passcodeTtl().toMinutes() + " minutes.", false));
        return;
      case NONE:
      default:
        html(ex, 401, Pages.enterCode(licence, address, csrf,
            "That passcode is not valid any more (each passcode works once). Send a new passcode.", false));
    }
  }

  private void view(HttpExchange ex, String id) throws IOException, PortalRefusal, MessagingException {
    Optional<Session> s = signedIn(ex, id);
    if (s.isEmpty()) {
      redirect(ex, "/m/" + id);
      return;
    }
    OpenedView opened = engine.open(id, s.get().address(), client(ex));
    MessageView v = messageView(opened);
    String sent = query(ex).get("sent");
    String notice = "reply".equals(sent) ? "Your reply was sent."
        : "forward".equals(sent) ? "The message was forwarded, still protected." : null;
    if (opened.licence().allows(Right.PRINT)) {
      ex.getResponseHeaders().set("Content-Security-Policy", HttpIo.CSP + "; script-src 'self'");
    }
    html(ex, 200, Pages.message(opened.licence(), v, s.get().address(), codec.csrfToken(s.get()), notice));
  }

  private void attachment(HttpExchange ex, String id, int index) throws IOException, PortalRefusal,
      MessagingException {
    Optional<Session> s = signedIn(ex, id);
    if (s.isEmpty()) {
      redirect(ex, "/m/" + id);
      return;
    }
    LicenceTerms licence = engine.licence(id);
    if (!licence.allows(Right.EXTRACT)) {
      throw new PortalRefusal(PortalRefusal.Reason.NOT_ALLOWED, "no extract");
    }
    OpenedView opened = engine.open(id, s.get().address(), client(ex));
    Optional<MessageView.Attachment> a = messageView(opened).attachment(index);
    if (a.isEmpty()) {
      html(ex, 404, Pages.error("No such attachment", "This message has no such attachment."));
      return;
    }
    byte[] bytes = a.get().bytes();
    engine.record(id, s.get().address(), PortalEvent.ATTACHMENT_DOWNLOADED, client(ex), a.get().name);
    ex.getResponseHeaders().set("Content-Disposition", "attachment; filename*=UTF-8''" + rfc5987(a.get().name));
    ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; sandbox");
    HttpIo.send(ex, 200, "application/octet-stream", bytes);
  }

  private void reply(HttpExchange ex, String id, boolean post) throws IOException, PortalRefusal,
      MessagingException {
    Map<String, String> f = post ? form(ex) : Map.of();
    Optional<Session> s = signedInForForm(ex, id, post, f);
    if (s.isEmpty()) {
      return;
    }
    boolean all = "1".equals(post ? f.get("all") : query(ex).get("all"));
    String reader = s.get().address();
    LicenceTerms licence = engine.licence(id);
    if (!licence.allows(all ? Right.REPLY_ALL : Right.REPLY)) {
      throw new PortalRefusal(PortalRefusal.Reason.NOT_ALLOWED, "no reply");
    }
    List<String> to = replyRecipients(licence, reader, all);
    OpenedView opened = engine.open(id, reader, client(ex));
    MessageView v = messageView(opened);
    String csrf = codec.csrfToken(s.get());
    if (!post) {
      html(ex, 200, Pages.reply(licence, v, reader, to, all, csrf, null));
      return;
    }
    String body = f.getOrDefault("body", "");
    if (body.isBlank()) {
      html(ex, 400, Pages.reply(licence, v, reader, to, all, csrf, "Write something to send."));
      return;
    }
    MimeMessage m = mailer.reply(licence, v, reader, to, body);
    try {
      mailer.send(m, m.getAllRecipients());
    } catch (MessagingException e) {
      PortalLog.warn(LOG, "portal could not send a reply for licence {}: {}", id, e.toString());
      html(ex, 503, Pages.reply(licence, v, reader, to, all, csrf,
          "The reply could not be sent right now. Please try again in a minute."));
      return;
    }
    engine.record(id, reader, PortalEvent.REPLIED, client(ex), (all ? "reply-all to " : "reply to ")
        + String.join(", ", to));
    redirect(ex, "/m/" + id + "/view?sent=reply");
  }

  private void forward(HttpExchange ex, String id, boolean post) throws IOException, PortalRefusal,
      MessagingException {
    Map<String, String> f = post ? form(ex) : Map.of();
    Optional<Session> s = signedInForForm(ex, id, post, f);
    if (s.isEmpty()) {
      return;
    }
    String reader = s.get().address();
    LicenceTerms licence = engine.licence(id);
    if (!licence.allows(Right.FORWARD)) {
      engine.record(id, reader, PortalEvent.FORWARD_BLOCKED, client(ex), "portal forward refused: template "
          + licence.template());
      throw new PortalRefusal(PortalRefusal.Reason.NOT_ALLOWED, "no forward");
    }
    OpenedView opened = engine.open(id, reader, client(ex));
    MessageView v = messageView(opened);
    String csrf = codec.csrfToken(s.get());
    if (!post) {
      html(ex, 200, Pages.forward(licence, v, reader, csrf, null));
      return;
    }
    List<String> to = new ArrayList<>();
    for (String part : f.getOrDefault("to", "").split("[,;\\s]+")) {
      if (!part.isBlank()) {
        Optional<String> a = address(part);
        if (a.isEmpty()) {
          html(ex, 400, Pages.forward(licence, v, reader, csrf, "Not an email address: " + part));
          return;
        }
        to.add(a.get());
      }
    }
    if (to.isEmpty() || to.size() > MAX_FORWARD_RECIPIENTS) {
      html(ex, 400, Pages.forward(licence, v, reader, csrf,
          "Enter between 1 and " + MAX_FORWARD_RECIPIENTS + " addresses."));
      return;
    }
    MimeMessage fwd = mailer.forward(licence, opened.message(), v, reader, to, f.getOrDefault("note", ""));
    MimeMessage wrapper = engine.protectForward(licence, fwd, reader, to);
    Address[] rcpt = new Address[to.size()];
    for (int i = 0; i < rcpt.length; i++) {
      rcpt[i] = new InternetAddress(to.get(i));
    }
    try {
      mailer.send(wrapper, rcpt);
    } catch (MessagingException e) {
      PortalLog.warn(LOG, "portal could not send a forward for licence {}: {}", id, e.toString());
      html(ex, 503, Pages.forward(licence, v, reader, csrf, "The message could not be sent right now."));
      return;
    }
    engine.record(id, reader, PortalEvent.FORWARDED, client(ex), "forwarded (protected) to " + String.join(", ", to));
    redirect(ex, "/m/" + id + "/view?sent=forward");
  }

  private void signOut(HttpExchange ex, String id) throws IOException, PortalRefusal {
    Map<String, String> f = form(ex);
    Optional<Session> s = checkedSession(ex, id, f);
    if (s.isEmpty()) {
      staleForm(ex, id);
      return;
    }
    if (s.get().stage() == Stage.SIGNED_IN) {
      // server-side, on every node: the cookie, replayed after sign-out, no longer opens anything
      engine.endSession(s.get().nonce(), s.get().expires());
    }
    ex.getResponseHeaders().add("Set-Cookie", config.cookieName() + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
        + (config.https() ? "; Secure" : ""));
    ex.getResponseHeaders().set("Clear-Site-Data", "\"cache\", \"cookies\"");
    html(ex, 200, Pages.signedOut());
  }

  // ---------------------------------------------------------------------------------------------------------
  // helpers

  private MessageView messageView(OpenedView opened) throws MessagingException, IOException {
    return MessageView.of(opened.message());
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
   * The signed-in session for a page that is shown (GET) and submitted (POST: session cookie and CSRF token
   * checked); when there is none the answer has been sent (the stale-form page for a POST, otherwise a
   * redirect to the sign-in page) and the result is empty.
   */
  private Optional<Session> signedInForForm(HttpExchange ex, String id, boolean post, Map<String, String> f)
      throws IOException {
    Optional<Session> s = post ? checkedSession(ex, id, f).filter(x -> x.stage() == Stage.SIGNED_IN)
        : signedIn(ex, id);
    if (s.isEmpty()) {
      if (post) {
        staleForm(ex, id);
      } else {
        redirect(ex, "/m/" + id);
      }
    }
    return s;
  }

  /** A POST whose session cookie or CSRF token does not check out. */
  private void staleForm(HttpExchange ex, String id) throws IOException {
    html(ex, 403, Pages.error("Please start again", "This page was open too long or came from somewhere else. "
        + "Open the link in your message again."));
  }

  /**
   * The cookie's session; a signed-in one only while not signed out (the rights store knows, for every node).
   * When the store cannot say, the session is not trusted (the reader signs in again).
   */
  private Optional<Session> session(HttpExchange ex) {
    Optional<Session> s = codec.decode(HttpIo.cookie(ex, config.cookieName()), now());
    if (s.isPresent() && s.get().stage() == Stage.SIGNED_IN) {
      try {
        if (engine.sessionEnded(s.get().nonce())) {
          return Optional.empty();
        }
      } catch (PortalRefusal r) {
        PortalLog.warn(LOG, "portal could not check a session: {}", r.getMessage());
        return Optional.empty();
      }
    }
    return s;
  }

  private Optional<Session> signedIn(HttpExchange ex, String id) {
    return session(ex).filter(s -> s.signedInFor(id));
  }

  /** The session of a POST, only when the cookie is authentic, for this message, and the CSRF token matches. */
  private Optional<Session> checkedSession(HttpExchange ex, String id, Map<String, String> f) {
    return session(ex).filter(s -> s.licenceId().equals(id) && codec.csrfValid(s, f.get("csrf")));
  }

  private void setCookie(HttpExchange ex, Session s) {
    long maxAge = Math.max(1, Duration.between(now(), s.expires()).getSeconds());
    ex.getResponseHeaders().add("Set-Cookie", config.cookieName() + "=" + codec.encode(s) + "; Path=/; Max-Age="
        + maxAge + "; HttpOnly; SameSite=Strict" + (config.https() ? "; Secure" : ""));
  }

  private Instant now() {
    return clock.instant();
  }

  private static Optional<String> address(String raw) {
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

  private static String ip(HttpExchange ex) {
    return ex.getRemoteAddress().getAddress().getHostAddress();
  }

  /** IP and user agent, for the access log. */
  private static String client(HttpExchange ex) {
    String ua = ex.getRequestHeaders().getFirst("User-Agent");
    if (ua == null) {
      return ip(ex);
    }
    ua = ua.replaceAll("[\\p{Cntrl}]", " ");
    return ip(ex) + " " + (ua.length() > 120 ? ua.substring(0, 120) : ua);
  }

  private static String rfc5987(String name) {
    StringBuilder b = new StringBuilder();
    for (byte c : name.getBytes(StandardCharsets.UTF_8)) {
      int v = c & 0xff;
      if ((v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') || (v >= '0' && v <= '9') || "-._~".indexOf(v) >= 0) {
        b.append((char) v);
      } else {
        b.append('%').append(String.format("%02X", v));
      }
    }
    return b.toString();
  }

  private void serveStatic(HttpExchange ex, String name) throws IOException {
    String type;
    if (name.equals("portal.css")) {
      type = "text/css; charset=utf-8";
    } else if (name.equals("print.js")) {
      type = "text/javascript; charset=utf-8";
    } else {
      html(ex, 404, Pages.error("Not found", "No such file."));
      return;
    }
    try (InputStream in = Portal.class.getResourceAsStream("static/" + name)) {
      if (in == null) {
        html(ex, 404, Pages.error("Not found", "No such file."));
        return;
      }
      HttpIo.send(ex, 200, type, in.readAllBytes());
    }
  }
}
