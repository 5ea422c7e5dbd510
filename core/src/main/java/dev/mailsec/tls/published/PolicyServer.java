package dev.mailsec.tls.published;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Serves our domains' MTA-STS policies (RFC 8461 section 3.3) over HTTPS: {@code GET
 * /.well-known/mta-sts.txt} with {@code Host: mta-sts.DOMAIN} of a configured domain answers 200
 * {@code text/plain} with the policy; any other method, path (a query, {@code ..}, an encoded
 * character included), or host answers 404 and reads nothing from disk. The certificate for each
 * name is chosen by the client's SNI among the configured ones. At most {@link #THREADS} requests
 * in service and {@link #QUEUE} waiting; beyond that a connection is closed. At most {@link
 * #PER_CLIENT} requests of one client address in service at once; beyond that 429 (Too Many
 * Requests) with {@code Retry-After} and the connection closed. A request must arrive within 10 s,
 * a response leave within 30 s (the JDK server's limits, set unless given with -D).
 */
public final class PolicyServer implements AutoCloseable {

    /** The one path served (RFC 8461 section 3.3). */
    public static final String PATH = "/.well-known/mta-sts.txt";

    static final int THREADS = 32;
    static final int QUEUE = 256;
    static final int PER_CLIENT = 8;

    static {
        // as the portal does (docs/rights-portal.md): the JDK server reads a request on a worker,
        // so
        // a client trickling its headers must not hold one long; read once, when the JVM's first
        // server is created (the policy server runs in a JVM of its own); an operator's -D wins
        defaultProperty("sun.net.httpserver.maxReqTime", 10);
        defaultProperty("sun.net.httpserver.maxRspTime", 30);
        defaultProperty("sun.net.httpserver.idleInterval", 30);
        defaultProperty("sun.net.httpserver.maxReqHeaders", 32);
        defaultProperty("sun.net.httpserver.maxReqHeaderSize", 16 * 1024);
    }

    private static void defaultProperty(String name, int value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, Integer.toString(value));
        }
    }

    private static final byte[] NOT_FOUND = "not found\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOO_MANY =
            "too many requests from your address\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpsServer server;
    private final ThreadPoolExecutor workers;
    private final Map<String, OwnPolicy> byHost;
    private final ClientLimit limit;

    private PolicyServer(
            HttpsServer server,
            ThreadPoolExecutor workers,
            Map<String, OwnPolicy> byHost,
            ClientLimit limit) {
        this.server = server;
        this.workers = workers;
        this.byHost = byHost;
        this.limit = limit;
    }

    /** Starts serving {@code policies} on their bind address and port. */
    public static PolicyServer start(OwnPolicies policies) throws IOException {
        return start(policies, new InetSocketAddress(policies.bind(), policies.port()));
    }

    /** Starts serving on {@code address} (port 0: an ephemeral port, for tests). */
    public static PolicyServer start(OwnPolicies policies, InetSocketAddress address)
            throws IOException {
        return start(policies, address, PER_CLIENT);
    }

    /** Starts serving with {@code perClient} requests per client address in service at once. */
    static PolicyServer start(OwnPolicies policies, InetSocketAddress address, int perClient)
            throws IOException {
        ClientLimit limit = new ClientLimit(perClient);
        Map<String, OwnPolicy> byHost = new HashMap<>();
        for (OwnPolicy policy : policies.policies().values()) {
            byHost.put(policy.policyHost(), policy);
        }
        HttpsServer server = HttpsServer.create(address, 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls(policies)));
        ThreadPoolExecutor workers =
                new ThreadPoolExecutor(
                        THREADS,
                        THREADS,
                        60,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(QUEUE),
                        r -> {
                            Thread t = new Thread(r, "mta-sts-http");
                            t.setDaemon(true);
                            return t;
                        },
                        new ThreadPoolExecutor.AbortPolicy());
        workers.allowCoreThreadTimeOut(true);
        server.setExecutor(workers);
        PolicyServer policyServer = new PolicyServer(server, workers, Map.copyOf(byHost), limit);
        server.createContext("/", policyServer::handle);
        server.start();
        return policyServer;
    }

    /** A key store of every configured chain, chosen by SNI (the PKIX key manager does). */
    private static SSLContext tls(OwnPolicies policies) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            int i = 0;
            for (PemCredential credential : policies.credentials()) {
                store.setKeyEntry(
                        "mta-sts-" + i++,
                        credential.key(),
                        password,
                        credential.chain().toArray(new X509Certificate[0]));
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS with the configured certificates", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        InetAddress client = exchange.getRemoteAddress().getAddress();
        if (!limit.tryAcquire(client)) {
            try {
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=us-ascii");
                exchange.getResponseHeaders().set("Retry-After", "10");
                exchange.getResponseHeaders().set("Connection", "close");
                exchange.sendResponseHeaders(429, TOO_MANY.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(TOO_MANY);
                }
            } finally {
                exchange.close();
            }
            return;
        }
        try {
            serve(exchange);
        } finally {
            limit.release(client);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try {
            Optional<OwnPolicy> policy = policyFor(exchange);
            byte[] body =
                    policy.isPresent()
                            ? policy.get().text().getBytes(StandardCharsets.UTF_8)
                            : NOT_FOUND;
            exchange.getResponseHeaders()
                    .set(
                            "Content-Type",
                            policy.isPresent()
                                    ? "text/plain; charset=utf-8"
                                    : "text/plain; charset=us-ascii");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(policy.isPresent() ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } finally {
            exchange.close();
        }
    }

    private Optional<OwnPolicy> policyFor(HttpExchange exchange) {
        if (!exchange.getRequestMethod().equals("GET")
                || !PATH.equals(exchange.getRequestURI().getRawPath())
                || exchange.getRequestURI().getRawQuery() != null) {
            return Optional.empty();
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return Optional.empty();
        }
        String name = host.trim().toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.substring(colon + 1).matches("[0-9]{1,5}")) {
            name = name.substring(0, colon);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return Optional.ofNullable(byHost.get(name));
    }

    /** The port listened on (the ephemeral one when started on port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
