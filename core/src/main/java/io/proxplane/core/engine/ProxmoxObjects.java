package io.proxplane.core.engine;

import io.proxplane.core.registry.ProxmoxEndpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The engine's record of what it made in Proxmox (migration V6): endpoints, the Proxmox pools a
 * registry pool was mirrored into, pools whose first converge has not finished, and the Proxmox
 * users and groups it ensured. Deletes read these instead of other objects' rows, so the order
 * in which a front door deletes things does not matter.
 */
final class ProxmoxObjects {
    /** A Proxmox pool of a registry pool on one endpoint; {@code created}: proxplane made it. */
    record PoolMirror(ProxmoxEndpoint endpoint, boolean created) {}

    /** A Proxmox user ({@code name} = userid with realm) or group on one endpoint. */
    record Principal(ProxmoxEndpoint endpoint, String kind, String name, boolean created) {}

    static final String USER = "user";
    static final String GROUP = "group";

    private final EngineStore store;

    ProxmoxObjects(EngineStore store) {
        this.store = store;
    }

    /**
     * Records that {@code pool} is mirrored on the endpoint. {@code made} true (proxplane is about to
     * create it) always wins; a pool found already there is recorded with {@code created} only when
     * nothing was recorded before, so a pool proxplane made stays its own after a crash.
     */
    void recordPoolMirror(ProxmoxEndpoint endpoint, String pool, boolean created, boolean made) {
        write(endpoint, "insert into engine_pool_mirrors (pool_name, endpoint_url, created) values (?, ?, ?) on conflict "
                + "(pool_name, endpoint_url) do " + (made ? "update set created = true" : "nothing"), pool, endpoint.url(), created);
    }

    List<PoolMirror> poolMirrors(String pool) {
        List<PoolMirror> out = new ArrayList<>();
        query("""
                select e.url, e.token_id, e.credentials_ref, m.created from engine_pool_mirrors m
                join engine_proxmox_endpoints e on e.url = m.endpoint_url where m.pool_name = ? order by e.url
                """, List.of(pool), rs -> out.add(new PoolMirror(endpoint(rs), rs.getBoolean(4))));
        return out;
    }

    void forgetPoolMirror(String pool, String url) {
        update("delete from engine_pool_mirrors where pool_name = ? and endpoint_url = ?", pool, url);
    }

    void recordPrincipal(ProxmoxEndpoint endpoint, String kind, String name, boolean created, boolean made) {
        write(endpoint, "insert into engine_proxmox_principals (endpoint_url, kind, name, created) values (?, ?, ?, ?) "
                + "on conflict (endpoint_url, kind, name) do " + (made ? "update set created = true" : "nothing"),
                endpoint.url(), kind, name, created);
    }

    /** The principals of that kind and those names proxplane created, on every endpoint. */
    List<Principal> createdPrincipals(String kind, Collection<String> names) {
        List<Principal> out = new ArrayList<>();
        if (names.isEmpty()) return out;
        query("""
                select e.url, e.token_id, e.credentials_ref, p.kind, p.name from engine_proxmox_principals p
                join engine_proxmox_endpoints e on e.url = p.endpoint_url
                where p.created and p.kind = ? and p.name = any (?) order by p.name, e.url
                """, List.of(kind, names.toArray(String[]::new)),
                rs -> out.add(new Principal(endpoint(rs), rs.getString(4), rs.getString(5), true)));
        return out;
    }

    void forgetPrincipal(String url, String kind, String name) {
        update("delete from engine_proxmox_principals where endpoint_url = ? and kind = ? and name = ?", url, kind, name);
    }

    Optional<String> poolIntent(String pool) {
        List<String> out = new ArrayList<>();
        query("select intent from engine_pool_intents where pool_name = ?", List.of(pool), rs -> out.add(rs.getString(1)));
        return out.stream().findFirst();
    }

    /** Records the pool's intent with the engine session recording it (V8), so a crash leaves it to the next run. */
    void setPoolIntent(String pool, String intent, int session) {
        update("insert into engine_pool_intents (pool_name, intent, intent_session) values (?, ?, ?) on conflict (pool_name) "
                + "do update set intent = excluded.intent, intent_session = excluded.intent_session", pool, intent, session);
    }

    void clearPoolIntent(String pool) {
        update("delete from engine_pool_intents where pool_name = ?", pool);
    }

    private static ProxmoxEndpoint endpoint(ResultSet rs) throws SQLException {
        return new ProxmoxEndpoint(rs.getString(1), rs.getString(2), rs.getString(3));
    }

    /** The endpoint row (kept current: a site may change the token or the reference) and one more row, atomically. */
    private void write(ProxmoxEndpoint endpoint, String sql, Object... args) {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into engine_proxmox_endpoints (url, token_id, credentials_ref) values (?, ?, ?)
                        on conflict (url) do update set token_id = excluded.token_id, credentials_ref = excluded.credentials_ref,
                        updated_at = now() where (engine_proxmox_endpoints.token_id, engine_proxmox_endpoints.credentials_ref)
                        is distinct from (excluded.token_id, excluded.credentials_ref)
                        """)) {
                    bind(ps, endpoint.url(), endpoint.tokenId(), endpoint.credentialsRef());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    bind(ps, args);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private void update(String sql, Object... args) {
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, List<Object> args, RowReader reader) {
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i) instanceof String[] array) {
                    ps.setArray(i + 1, c.createArrayOf("text", array));
                } else {
                    ps.setObject(i + 1, args.get(i));
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) reader.read(rs);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) ps.setNull(i + 1, java.sql.Types.VARCHAR); // only text columns are nullable
            else ps.setObject(i + 1, args[i]);
        }
    }

    private static IllegalStateException failed(SQLException e) {
        return new IllegalStateException("engine records of Proxmox objects: " + e.getMessage(), e);
    }
}
