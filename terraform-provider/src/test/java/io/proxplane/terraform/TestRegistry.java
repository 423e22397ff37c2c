package io.proxplane.terraform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throw-away registry database on the real PostgreSQL (127.0.0.1:5432, user postgres, trust;
 * override with -Dproxplane.test.pg.host/.port/.user), created per test and dropped afterwards.
 */
public final class TestRegistry implements AutoCloseable {
    static final String HOST = System.getProperty("proxplane.test.pg.host", "127.0.0.1");
    static final String PORT = System.getProperty("proxplane.test.pg.port", "5432");
    static final String USER = System.getProperty("proxplane.test.pg.user", "postgres");

    private final String name;

    private TestRegistry(String name) {
        this.name = name;
    }

    public static TestRegistry create() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        String name = "proxplane_tf_" + HexFormat.of().formatHex(b);
        admin("create database " + name);
        return new TestRegistry(name);
    }

    /** The provider's registry_url form. */
    public String url() {
        return "postgresql://" + USER + "@" + HOST + ":" + PORT + "/" + name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + name, USER, null);
    }

    @Override
    public void close() {
        admin("drop database if exists " + name + " with (force)");
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER, null);
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " (user " + USER + ") is needed: " + e.getMessage(), e);
        }
    }
}
