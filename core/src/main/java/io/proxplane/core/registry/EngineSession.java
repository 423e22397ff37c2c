package io.proxplane.core.registry;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * One engine's proof of life: a dedicated JDBC connection (never from a pool, so nothing else
 * closes or reuses it) holding the session-level advisory lock
 * {@code pg_advisory_lock(LOCK_CLASS, id)} with a random positive 31-bit {@link #id()}. The engine
 * writes that id beside every intent it records; an intent whose session's lock is not held has
 * lost its writer (process killed, connection cut, server restarted: PostgreSQL drops the lock
 * with the connection) and may be resolved by anyone, see {@link IntentRepository}.
 *
 * <p>If the connection is lost the engine is still alive: {@link #id()} (called before every
 * intent write) reconnects and retakes the lock of the same id. Intents recorded before the loss
 * looked abandoned in between and may have been taken over (rolled back or finished) by another
 * engine; an operation of ours still running on such a row then fails at its next registry write
 * (the row is gone) or finds its guest destroyed, and the next apply starts afresh. Should another
 * engine hold our id by then (it drew the same random id after our lock vanished), a new id is
 * drawn. Thread-safe.
 */
public final class EngineSession implements AutoCloseable {
    /** The advisory lock class of engine sessions (the first key of the two-int form): "ppi1". */
    public static final int LOCK_CLASS = 0x70706931;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_DRAWS = 20;

    private final RegistryConfig config;
    private Connection connection;
    private int id;
    private boolean closed;

    private EngineSession(RegistryConfig config) {
        this.config = config;
    }

    /** Connects and takes a fresh session id; {@link RegistryException} when the database cannot be reached. */
    public static EngineSession open(RegistryConfig config) {
        EngineSession s = new EngineSession(config);
        synchronized (s) {
            s.connect(0);
        }
        return s;
    }

    /**
     * The session id, after making sure its lock is held (one round trip to the session's
     * connection; reconnects and retakes the lock when the connection was lost).
     */
    public synchronized int id() {
        if (closed) {
            throw new IllegalStateException("the engine session is closed");
        }
        try {
            if (connection != null && connection.isValid(10)) {
                return id;
            }
        } catch (SQLException e) {
            // treated as lost below
        }
        closeQuietly();
        connect(id);
        return id;
    }

    /** The id as last taken, without checking the connection (for logs and tests). */
    public synchronized int lastId() {
        return id;
    }

    /**
     * Ends the session the way a crash would: the connection is closed abruptly, so PostgreSQL
     * releases the lock and every intent of this session counts as abandoned. Tests use it; an
     * engine closing normally calls {@link #close()}, which does the same.
     */
    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly();
    }

    /** Takes {@code preferred} again if it is free (0: draw one), else a fresh random id. */
    private void connect(int preferred) {
        try {
            Properties p = new Properties();
            if (config.username() != null) p.setProperty("user", config.username());
            if (config.password() != null) p.setProperty("password", config.password());
            p.setProperty("ApplicationName", "proxplane-engine-session");
            p.setProperty("tcpKeepAlive", "true");
            Connection c = DriverManager.getConnection(config.jdbcUrl(), p);
            try {
                c.setAutoCommit(true);
                int candidate = preferred;
                for (int draw = 0; draw <= MAX_DRAWS; draw++) {
                    if (candidate <= 0) candidate = 1 + RANDOM.nextInt(Integer.MAX_VALUE - 1);
                    if (tryLock(c, candidate)) {
                        this.connection = c;
                        this.id = candidate;
                        return;
                    }
                    candidate = 0; // held by another engine: draw again
                }
                throw new RegistryException("no free engine session id after " + MAX_DRAWS + " draws");
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new RegistryException("opening the engine session failed: " + e.getMessage(), e);
        }
    }

    private static boolean tryLock(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void closeQuietly() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException e) {
            // gone already: the lock went with it
        }
        connection = null;
    }
}
