package io.proxplane.ldap.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.proxplane.ldap.directory.SnapshotRefresher;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * /metrics (Prometheus text), /healthz (process alive) and /readyz (a directory has been loaded and
 * its staleness is within bounds; a replica whose registry is down keeps serving but reports it).
 */
public final class OpsHttpServer implements AutoCloseable {
    private final HttpServer server;

    public OpsHttpServer(InetSocketAddress address, MeterRegistry meters, SnapshotRefresher refresher, Duration maxStaleness)
            throws IOException {
        server = HttpServer.create(address, 16);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ops-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4", PrometheusText.render(meters)));
        server.createContext("/healthz", ex -> reply(ex, 200, "text/plain", "ok\n"));
        server.createContext("/readyz", ex -> {
            Duration staleness = refresher.staleness();
            if (!refresher.loadedOnce()) {
                reply(ex, 503, "text/plain", "not ready: directory never loaded: " + refresher.lastError() + "\n");
            } else if (staleness.compareTo(maxStaleness) > 0) {
                reply(ex, 503, "text/plain", "not ready: directory is " + staleness.toSeconds() + "s stale (limit "
                        + maxStaleness.toSeconds() + "s): " + refresher.lastError() + "\n");
            } else {
                reply(ex, 200, "text/plain", "ready: generation " + refresher.get().generation() + ", "
                        + refresher.get().userCount() + " users\n");
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
