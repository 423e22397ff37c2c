package io.proxplane.ldap.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.proxplane.core.registry.RegistryConfig;
import io.proxplane.ldap.auth.BindAuditEvent;
import io.proxplane.ldap.auth.BindAuditor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes every bind to the registry's audit_log (action "report", object_kind "ldap_bind") from a
 * bounded queue on a background thread, so binds never wait on the database. While the registry is
 * down the events wait in the queue (up to {@link #CAPACITY}) and are written once it is back, in
 * order; only when the queue is full are events dropped, counted, and still logged by {@code fallback}.
 */
public final class RegistryBindAuditor implements BindAuditor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RegistryBindAuditor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryConfig config;
    private final BindAuditor fallback;
    public static final int CAPACITY = 10_000;
    private final BlockingQueue<BindAuditEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Counter dropped;
    private final Thread writer;
    private volatile boolean running = true;

    public RegistryBindAuditor(RegistryConfig config, BindAuditor fallback, MeterRegistry meters) {
        this.config = config;
        this.fallback = fallback;
        this.dropped = meters.counter("ldap.audit.dropped");
        io.micrometer.core.instrument.Gauge.builder("ldap.audit.backlog", queue, BlockingQueue::size).register(meters);
        this.writer = Thread.ofPlatform().daemon(true).name("ldap-audit-writer").start(this::run);
    }

    @Override
    public void record(BindAuditEvent event) {
        fallback.record(event);
        if (!queue.offer(event)) dropped.increment();
    }

    /** Events not yet written. */
    public int backlog() {
        return queue.size();
    }

    private void run() {
        Connection c = null;
        long backoff = 500;
        while (running || !queue.isEmpty()) {
            BindAuditEvent e;
            try {
                // Peek, and remove only once written: an event is never lost to an outage.
                e = queue.peek();
                if (e == null) {
                    Thread.sleep(100);
                    continue;
                }
            } catch (InterruptedException ie) {
                break;
            }
            try {
                if (c == null || c.isClosed()) c = DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password());
                write(c, e);
                queue.remove();
                backoff = 500;
            } catch (SQLException ex) {
                if (!running) break; // shutting down with the registry unreachable: what is left was logged
                log.warn("bind audit not written to the registry yet ({} waiting): {}", queue.size(), ex.getMessage());
                closeQuietly(c);
                c = null;
                sleep(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
        closeQuietly(c);
    }

    private static void write(Connection c, BindAuditEvent e) throws SQLException {
        ObjectNode detail = JSON.createObjectNode();
        detail.put("outcome", e.outcome().name().toLowerCase());
        detail.put("bindDn", e.bindDn());
        detail.put("client", e.clientAddress());
        detail.put("connection", e.connectionId());
        detail.put("reason", e.reason());
        detail.put("hashScheme", e.hashScheme());
        try (PreparedStatement ps = c.prepareStatement("insert into audit_log (at, actor, action, object_kind, object_id, detail)"
                + " values (?, 'ldap-gateway', 'report', 'ldap_bind', ?, ?::jsonb)")) {
            ps.setTimestamp(1, Timestamp.from(e.at()));
            ps.setString(2, e.principal() == null || e.principal().isEmpty() ? "anonymous" : e.principal());
            ps.setString(3, detail.toString());
            ps.executeUpdate();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            if (c != null) c.close();
        } catch (SQLException ignored) {
            // already broken
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
