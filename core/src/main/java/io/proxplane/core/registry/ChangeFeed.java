package io.proxplane.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The registry's change notifications (LISTEN proxplane_changes), delivered to listeners.
 *
 * <p>Holds one dedicated connection outside the pool (a pooled connection could be recycled and
 * silently stop listening). A background thread waits for notifications with a timeout and checks
 * the connection while idle; when the connection is lost it reconnects with back-off and, since
 * notifications sent meanwhile are gone, tells every listener to resync.
 */
public final class ChangeFeed implements AutoCloseable {
    public static final String CHANNEL = "proxplane_changes";
    static final String APPLICATION_NAME = "proxplane-change-feed";

    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

    private final RegistryConfig config;
    private final Duration pollTimeout;
    private final Duration maxBackoff;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;
    private volatile int backendPid = -1;

    ChangeFeed(RegistryConfig config, Duration pollTimeout, Duration maxBackoff) {
        this.config = config;
        this.pollTimeout = pollTimeout;
        this.maxBackoff = maxBackoff;
        this.thread = Thread.ofPlatform().name("proxplane-change-feed").daemon(true).unstarted(this::run);
    }

    public ChangeFeed addListener(ChangeListener listener) {
        listeners.add(listener);
        return this;
    }

    public void removeListener(ChangeListener listener) {
        listeners.remove(listener);
    }

    ChangeFeed start() {
        thread.start();
        return this;
    }

    /** The PostgreSQL backend pid of the listening connection, or -1 while disconnected. */
    public int backendPid() {
        return backendPid;
    }

    public boolean isConnected() {
        return backendPid > 0;
    }

    private void run() {
        long backoffMillis = 100;
        boolean everConnected = false;
        while (running) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                    try (var rs = st.executeQuery("select pg_backend_pid()")) {
                        rs.next();
                        backendPid = rs.getInt(1);
                    }
                }
                backoffMillis = 100;
                fireResync(everConnected ? "reconnected; notifications may have been missed" : "listening");
                everConnected = true;
                pollUntilBroken(c);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("change feed connection lost, reconnecting in {} ms: {}", backoffMillis, e.getMessage());
                }
            } finally {
                backendPid = -1;
                connection = null;
            }
            if (!running) {
                break;
            }
            sleep(backoffMillis);
            backoffMillis = Math.min(backoffMillis * 2, maxBackoff.toMillis());
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (config.username() != null) props.setProperty("user", config.username());
        if (config.password() != null) props.setProperty("password", config.password());
        props.setProperty("ApplicationName", APPLICATION_NAME);
        props.setProperty("tcpKeepAlive", "true");
        // Bounds the idle liveness check below on a half-open connection.
        props.setProperty("socketTimeout", String.valueOf(Math.max(10, pollTimeout.toSeconds() * 4)));
        Connection c = DriverManager.getConnection(config.jdbcUrl(), props);
        c.setAutoCommit(true);
        return c;
    }

    private void pollUntilBroken(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        int timeout = (int) Math.max(1, pollTimeout.toMillis());
        while (running) {
            PGNotification[] notifications = pg.getNotifications(timeout);
            if (notifications == null || notifications.length == 0) {
                // Idle: make sure the server is still there (a terminated backend or a dead
                // network path shows up here rather than as silence forever).
                try (Statement st = c.createStatement()) {
                    st.execute("select 1");
                }
                continue;
            }
            for (PGNotification n : notifications) {
                if (CHANNEL.equals(n.getName())) {
                    deliver(n.getParameter());
                }
            }
        }
    }

    private void deliver(String payload) {
        RegistryChange change;
        try {
            JsonNode j = Db.JSON.readTree(payload);
            change = new RegistryChange(j.path("table").asText(), j.path("op").asText(), j.path("id").asLong(),
                    j.path("revision").asLong());
        } catch (Exception e) {
            log.warn("ignoring malformed change notification '{}': {}", payload, e.getMessage());
            return;
        }
        for (ChangeListener l : listeners) {
            try {
                l.onChange(change);
            } catch (RuntimeException e) {
                log.warn("change listener {} failed on {}: {}", l, change, e.toString());
            }
        }
    }

    private void fireResync(String reason) {
        for (ChangeListener l : listeners) {
            try {
                l.onResync(reason);
            } catch (RuntimeException e) {
                log.warn("change listener {} failed on resync: {}", l, e.toString());
            }
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing to wake the poller; nothing to do if it is already gone
            }
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
