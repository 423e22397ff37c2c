package io.proxplane.core.engine;

import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.RegistryConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Throw-away registry databases for the property tries, cloned from one migrated template
 * ({@code CREATE DATABASE ... TEMPLATE}): a clone takes tens of milliseconds where a fresh database
 * plus the Flyway migrations takes seconds, and a property run creates two per try, shrinking included.
 * Same server settings as {@code TestDatabase} ({@code -Dproxplane.test.pg.host/.port/.user/.password}).
 */
final class SafetyDatabases implements AutoCloseable {
    private static final String HOST = System.getProperty("proxplane.test.pg.host", "127.0.0.1");
    private static final String PORT = System.getProperty("proxplane.test.pg.port", "5432");
    private static final String USER = System.getProperty("proxplane.test.pg.user", "postgres");
    private static final String PASSWORD = System.getProperty("proxplane.test.pg.password", "");

    private final String template;
    /** Clones not dropped yet: {@link #close} drops them too (a try abandoned by jqwik's shrinking bound never closes). */
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private boolean closed;

    SafetyDatabases() {
        template = randomName("tpl");
        admin("create database " + template);
        try {
            Registry.open(config(template)).close(); // migrates; the pool is closed so the template has no sessions
        } catch (RuntimeException e) {
            admin("drop database if exists " + template + " with (force)");
            throw e;
        }
    }

    /** A migrated empty registry database; drop it with {@link #drop}. Refused once closed. */
    synchronized String create() {
        if (closed) throw new IllegalStateException("the property has ended: no more databases");
        String name = randomName("try");
        admin("create database " + name + " template " + template);
        live.add(name);
        // A copy keeps the template's registry identity; two registries must not share one (their
        // guests' owner tags would say the same registry), so each copy gets its own, as a fresh
        // migration would give it.
        try (Connection c = DriverManager.getConnection(config(name).jdbcUrl(), USER, PASSWORD.isEmpty() ? null : PASSWORD);
             Statement st = c.createStatement()) {
            st.execute("update registry_identity set id = substr(md5(gen_random_uuid()::text), 1, 12)");
        } catch (SQLException e) {
            throw new IllegalStateException("giving " + name + " its own registry identity failed: " + e.getMessage(), e);
        }
        return name;
    }

    static RegistryConfig config(String name) {
        return RegistryConfig.of("jdbc:postgresql://" + HOST + ":" + PORT + "/" + name, USER, PASSWORD.isEmpty() ? null : PASSWORD);
    }

    void drop(String name) {
        admin("drop database if exists " + name + " with (force)");
        live.remove(name);
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (String name : List.copyOf(live)) drop(name);
        admin("drop database if exists " + template + " with (force)");
    }

    private static String randomName(String kind) {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return "proxplane_safety_" + kind + "_" + HexFormat.of().formatHex(b);
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER,
                PASSWORD.isEmpty() ? null : PASSWORD);
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("database admin statement failed: " + sql + ": " + e.getMessage(), e);
        }
    }
}
