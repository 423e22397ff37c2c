package io.proxplane.ldap.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.proxplane.ldap.directory.SnapshotRefresher;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * /metrics (Prometheus text), /healthz (process alive) and /readyz (a directory is served; a
 * replica whose registry is down stays ready and says "stale").
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
        // Readiness policy: ready while any directory is served, however stale. Every replica
        // loses the registry at the same moment, so failing readiness on staleness would take all
        // of them out of the Service together and stop every login, while stale answers keep them
        // working. Staleness is reported in the body and by the metrics
        // (..._snapshot_staleness_seconds, ..._snapshot_stale, ..._snapshot_from_disk) for alerting.
        Gauge.builder("ldap.snapshot.stale", refresher, r -> r.staleness().compareTo(maxStaleness) > 0 ? 1 : 0)
                .register(meters);
        server.createContext("/readyz", ex -> {
            Duration staleness = refresher.staleness();
            if (!refresher.hasDirectory()) {
                reply(ex, 503, "text/plain", "not ready: directory never loaded and no saved snapshot: "
                        + refresher.lastError() + "\n");
                return;
            }
            String what = "generation " + refresher.get().generation() + ", " + refresher.get().userCount() + " users"
                    + (refresher.servingSavedSnapshot() ? ", from the snapshot saved on disk at " + refresher.get().loadedAt() : "");
            if (staleness.compareTo(maxStaleness) > 0) {
                reply(ex, 200, "text/plain", "ready, stale: the directory is " + staleness.toSeconds() + "s behind the registry (limit "
                        + maxStaleness.toSeconds() + "s): " + refresher.lastError() + "; " + what + "\n");
            } else {
                reply(ex, 200, "text/plain", "ready: " + what + "\n");
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
