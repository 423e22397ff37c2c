package io.proxplane.core.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.registry.RegistryConfig;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's own tables: {@code engine_container_specs} (migration V3), the last applied full
 * container spec, so a resync can re-create a container without its front door; the V6 tables
 * are read and written by {@link ProxmoxObjects} over the same connections.
 */
final class EngineStore implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HikariDataSource ds;

    EngineStore(RegistryConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setUsername(config.username());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(2);
        hc.setMinimumIdle(0);
        hc.setPoolName("proxplane-engine");
        this.ds = new HikariDataSource(hc);
    }

    void saveSpec(long containerId, ContainerSpec spec) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into engine_container_specs (container_id, spec) values (?, ?::jsonb)
                on conflict (container_id) do update set spec = excluded.spec, updated_at = now()
                where engine_container_specs.spec is distinct from excluded.spec
                """)) {
            ps.setLong(1, containerId);
            ps.setString(2, JSON.writeValueAsString(spec));
            ps.executeUpdate();
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new io.proxplane.core.registry.RegistryException("storing the spec of container " + containerId + " failed", e);
        }
    }

    Optional<ContainerSpec> spec(long containerId) {
        return Optional.ofNullable(specs("container_id = " + containerId).get(containerId));
    }

    Map<Long, ContainerSpec> specsOfSite(long siteId) {
        return specs("container_id in (select id from containers where site_id = " + siteId + ")");
    }

    private Map<Long, ContainerSpec> specs(String where) {
        Map<Long, ContainerSpec> out = new HashMap<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select container_id, spec::text from engine_container_specs where " + where);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getLong(1), JSON.readValue(rs.getString(2), ContainerSpec.class));
            }
            return out;
        } catch (SQLException | java.io.IOException e) {
            throw new io.proxplane.core.registry.RegistryException("reading container specs failed", e);
        }
    }

    /** A connection of the engine's pool, for the other engine tables ({@link ProxmoxObjects}). */
    Connection connection() throws SQLException {
        return ds.getConnection();
    }

    @Override
    public void close() {
        ds.close();
    }
}
