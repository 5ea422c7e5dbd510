package dev.mailsec.portal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mailsec.metrics.CountingSink;
import dev.mailsec.metrics.Metrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The portal process's metrics (docs/metrics.md): the portal runs without James, so its counters
 * (requests by status; rights opens and refusals and DKM reads, which the engines report) are kept
 * by a {@link CountingSink} made the JVM's {@link Metrics#global()}, and served in the Prometheus
 * text format on a listener of their own ({@code mailsec portal --metrics-listen 127.0.0.1:9464}),
 * never on the readers' port: {@code GET /metrics}, anything else 404 (405 for another method on
 * {@code /metrics}). Counts only, no addresses or licence ids.
 */
public final class PortalMetrics implements AutoCloseable {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final CountingSink sink = new CountingSink();
    private final HttpServer server;

    private PortalMetrics(InetSocketAddress address) throws IOException {
        // the JDK reads its server limits once, at the JVM's first server: the portal's, not
        // defaults
        Portal.applyServerLimits();
        server = HttpServer.create(address, 16);
        server.setExecutor(
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "portal-metrics");
                            t.setDaemon(true);
                            return t;
                        }));
        server.createContext("/", this::serve);
    }

    /** Starts the listener and makes its counters the JVM's metrics; fails if it cannot bind. */
    public static PortalMetrics start(String host, int port) throws IOException {
        PortalMetrics m = new PortalMetrics(new InetSocketAddress(host, port));
        Metrics.install(new Metrics(m.sink));
        m.server.start();
        return m;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange ex) throws IOException {
        try {
            if (!"/metrics".equals(ex.getRequestURI().getPath())) {
                ex.sendResponseHeaders(404, -1);
            } else if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET");
                ex.sendResponseHeaders(405, -1);
            } else {
                byte[] body = sink.prometheusText().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
                ex.getResponseHeaders().set("Cache-Control", "no-store");
                ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    ex.getResponseBody().write(body);
                }
            }
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        Metrics.install(Metrics.NONE);
    }
}
