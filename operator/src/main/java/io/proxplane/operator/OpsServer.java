package io.proxplane.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operations endpoint on {@code PROXPLANE_HTTP_PORT}: {@code /metrics} (Prometheus text),
 * {@code /healthz} (liveness) and {@code /readyz} (readiness). The JDK's server is enough for
 * three GETs from the kubelet and Prometheus.
 */
public final class OpsServer implements AutoCloseable {
    /** A probe answer: healthy or not, and a one-line reason for people running curl. */
    public record Probe(boolean ok, String detail) {}

    private final HttpServer server;

    public OpsServer(String host, int port, PrometheusMeterRegistry metrics, Supplier<Probe> liveness, Supplier<Probe> readiness)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/metrics", ex -> {
            if (!get(ex)) return;
            send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
        });
        server.createContext("/healthz", ex -> probe(ex, liveness));
        server.createContext("/readyz", ex -> probe(ex, readiness));
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ops-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void probe(HttpExchange ex, Supplier<Probe> probe) throws IOException {
        if (!get(ex)) return;
        Probe p;
        try {
            p = probe.get();
        } catch (RuntimeException e) {
            p = new Probe(false, e.toString());
        }
        send(ex, p.ok() ? 200 : 503, "text/plain; charset=utf-8", (p.ok() ? "ok" : "not ok") + ": " + p.detail() + "\n");
    }

    private static boolean get(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().add("Allow", "GET, HEAD");
            send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n");
            return false;
        }
        return true;
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (!head) out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
