package io.proxplane.core.registry;

import io.proxplane.core.registry.Table.Col;

import java.util.List;
import java.util.Optional;

public final class PoolRepository {
    static final Table<Pool> TABLE = new Table<>("pool", "pools",
            "id, name, max_containers, max_cores, max_memory_mb, max_disk_gb, acl_grants::text as acl_grants, " + Rows.META,
            "name",
            rs -> new Pool(rs.getLong("id"), new PoolSpec(rs.getString("name"), Db.nullableInt(rs, "max_containers"),
                    Db.nullableInt(rs, "max_cores"), Db.nullableLong(rs, "max_memory_mb"),
                    Db.nullableLong(rs, "max_disk_gb"), Db.listFromJson(rs.getString("acl_grants"), AclGrant.class)),
                    Rows.meta(rs)));

    private final Db db;

    PoolRepository(Db db) {
        this.db = db;
    }

    public Pool upsert(String manager, PoolSpec s) {
        return upsert(Claim.asManager(manager), s);
    }

    /** Creates or updates the row as {@code claim} may (see {@link Claim}); a refusal writes nothing. */
    public Pool upsert(Claim claim, PoolSpec s) {
        return db.write(c -> TABLE.upsert(c, claim, List.of(Col.of("name", s.name())), List.of(
                Col.of("max_containers", s.maxContainers()),
                Col.of("max_cores", s.maxCores()),
                Col.of("max_memory_mb", s.maxMemoryMb()),
                Col.of("max_disk_gb", s.maxDiskGb()),
                Col.cast("acl_grants", "jsonb", Db.toJson(s.aclGrants()))), List.of()).row());
    }

    public Optional<Pool> get(long id) {
        return db.read(c -> TABLE.get(c, id));
    }

    public Optional<Pool> findByName(String name) {
        return db.read(c -> TABLE.find(c, "name = ?", name));
    }

    public List<Pool> list() {
        return db.read(c -> TABLE.list(c, null));
    }

    /** Deletes the pool; refused while containers are in it (foreign key). */
    public boolean delete(String manager, long id) {
        return delete(Claim.asManager(manager), id);
    }

    /** Deletes the row if {@code claim} may (its holder holds it, or it is unclaimed); false if it does not exist. */
    public boolean delete(Claim claim, long id) {
        return db.write(c -> TABLE.delete(c, claim, id));
    }
}
