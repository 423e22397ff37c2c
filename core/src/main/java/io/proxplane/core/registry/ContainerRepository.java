package io.proxplane.core.registry;

import io.proxplane.core.registry.Table.Col;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Containers. The spec comes from the front door; vmid, MAC and IPv4 are only ever written by
 * {@link Allocators#reserveContainerAddresses}, and the intent/observed fields by the engine.
 */
public final class ContainerRepository {
    static final Table<Container> TABLE = new Table<>("container", "containers", """
            id, site_id, name, hostname, node, vmid, mac::text as mac, host(ipv4) as ipv4, image,
            resources::text as resources, owner, pool_id, desired_state, observed_state, task_upid, intent,
            """ + Rows.META, "name",
            rs -> new Container(rs.getLong("id"), new ContainerSpec(rs.getLong("site_id"), rs.getString("name"),
                    rs.getString("hostname"), rs.getString("node"), rs.getString("image"),
                    Db.fromJson(rs.getString("resources"), Resources.class), rs.getString("owner"),
                    Db.nullableLong(rs, "pool_id"), rs.getString("desired_state")),
                    Db.nullableInt(rs, "vmid"), rs.getString("mac"), rs.getString("ipv4"),
                    rs.getString("observed_state"), rs.getString("task_upid"), rs.getString("intent"),
                    Rows.meta(rs)));

    private final Db db;

    ContainerRepository(Db db) {
        this.db = db;
    }

    /**
     * Creates or updates the container named {@code spec.name()} in {@code spec.siteId()}. A null
     * node leaves the engine's placement alone.
     */
    public Container upsert(String manager, ContainerSpec s) {
        if (s.resources() == null) {
            throw new IllegalArgumentException("resources: required (cores, memory_mb, swap_mb, disk_gb)");
        }
        List<Col> cols = new ArrayList<>(List.of(
                Col.of("hostname", s.hostname()),
                Col.of("image", s.image()),
                Col.cast("resources", "jsonb", Db.toJson(s.resources())),
                Col.of("owner", s.owner()),
                Col.of("pool_id", s.poolId()),
                Col.of("desired_state", s.desiredState())));
        if (s.node() != null) {
            cols.add(Col.of("node", s.node()));
        }
        return db.write(c -> TABLE.upsert(c, manager,
                List.of(Col.of("site_id", s.siteId()), Col.of("name", s.name())), cols, List.of()).row());
    }

    public Optional<Container> get(long id) {
        return db.read(c -> TABLE.get(c, id));
    }

    public Optional<Container> findByName(long siteId, String name) {
        return db.read(c -> TABLE.find(c, "site_id = ? and name = ?", siteId, name));
    }

    public List<Container> listBySite(long siteId) {
        return db.read(c -> TABLE.list(c, "site_id = ?", siteId));
    }

    public List<Container> list() {
        return db.read(c -> TABLE.list(c, null));
    }

    /**
     * Records what the engine is about to do (e.g. "create") and the Proxmox task doing it, so a
     * retry after a crash finds the task instead of starting a second one. Nulls clear both.
     */
    public Container recordIntent(String manager, long id, String intent, String taskUpid) {
        return db.write(c -> {
            TABLE.requireManagedBy(c, manager, id);
            Db.update(c, "update containers set intent = ?, task_upid = ? where id = ?", intent, taskUpid, id);
            Audit.write(c, manager, "update", TABLE.kind(), String.valueOf(id),
                    Map.of("intent", String.valueOf(intent), "task_upid", String.valueOf(taskUpid)));
            return TABLE.get(c, id).orElseThrow();
        });
    }

    /** Records what Proxmox reports: the observed state and the node the container runs on. */
    public Container recordObserved(String manager, long id, String observedState, String node) {
        return db.write(c -> {
            TABLE.requireManagedBy(c, manager, id);
            int n = Db.update(c, """
                    update containers set observed_state = ?, node = coalesce(?, node)
                    where id = ? and (observed_state, node) is distinct from (?, coalesce(?, node))
                    """, observedState, node, id, observedState, node);
            if (n == 1) {
                Audit.write(c, manager, "update", TABLE.kind(), String.valueOf(id),
                        Map.of("observed_state", observedState, "node", String.valueOf(node)));
            }
            return TABLE.get(c, id).orElseThrow();
        });
    }

    /** Deletes the container; its vmid, MAC, IPv4 and its services' ports return to the pools. */
    public boolean delete(String manager, long id) {
        return db.write(c -> TABLE.delete(c, manager, id));
    }
}
