package io.proxplane.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (last apply succeeded and the feed is
 * connected; the body says why not, and which objects the served configuration leaves out) and {@code /metrics} (Prometheus text) on the JDK's small HTTP server.
 */
public final class HealthServer implements AutoCloseable {
    private final HttpServer server;

    private HealthServer(HttpServer server) {
        this.server = server;
    }

    /** Ready or not, and why (one line per reason; user-supplied names already escaped). */
    public record Readiness(boolean ready, String detail) {}

    public static HealthServer start(String listen, BooleanSupplier ready, Supplier<String> metrics) throws IOException {
        return start(listen, () -> new Readiness(ready.getAsBoolean(), ""), metrics);
    }

    /** @param listen {@code host:port}; port 0 picks a free one (see {@link #port()}) */
    public static HealthServer start(String listen, Supplier<Readiness> readiness, Supplier<String> metrics) throws IOException {
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("http-listen: '" + listen + "' must be host:port");
        }
        String host = listen.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("http-listen: '" + listen + "' has no numeric port");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/healthz", ex -> respond(ex, 200, "text/plain", "ok\n"));
        server.createContext("/readyz", ex -> {
            Readiness r = readiness.get();
            String detail = r.detail().isEmpty() ? "" : r.detail().endsWith("\n") ? r.detail() : r.detail() + "\n";
            respond(ex, r.ready() ? 200 : 503, "text/plain; charset=utf-8", (r.ready() ? "ready\n" : "not ready\n") + detail);
        });
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        server.setExecutor(Executors.newSingleThreadExecutor(Thread.ofPlatform().name("edge-agent-http").daemon(true).factory()));
        server.start();
        return new HealthServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, "HEAD".equals(ex.getRequestMethod()) ? -1 : bytes.length);
            if (!"HEAD".equals(ex.getRequestMethod())) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
