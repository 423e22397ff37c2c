package io.proxplane.operator;

import io.proxplane.core.registry.RegistryConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** A throw-away database on the real PostgreSQL (127.0.0.1:5432, user postgres), one per test class. */
final class TestDb implements AutoCloseable {
    static final String HOST = System.getProperty("proxplane.test.pg.host", "127.0.0.1");
    static final String PORT = System.getProperty("proxplane.test.pg.port", "5432");
    static final String USER = System.getProperty("proxplane.test.pg.user", "postgres");
    static final String PASSWORD = System.getProperty("proxplane.test.pg.password", "");

    final String name;

    private TestDb(String name) {
        this.name = name;
    }

    static TestDb create() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        String name = "proxplane_operator_test_" + HexFormat.of().formatHex(b);
        admin("create database " + name);
        return new TestDb(name);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name;
    }

    RegistryConfig config() {
        return RegistryConfig.of(jdbcUrl(), USER, PASSWORD.isEmpty() ? null : PASSWORD);
    }

    @Override
    public void close() {
        admin("drop database if exists " + name + " with (force)");
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER,
                PASSWORD.isEmpty() ? null : PASSWORD);
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " (user " + USER + "): " + sql + ": "
                    + e.getMessage(), e);
        }
    }
}
