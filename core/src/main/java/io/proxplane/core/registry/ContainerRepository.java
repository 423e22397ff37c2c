package io.proxplane.core.registry;

import io.proxplane.core.registry.Table.Col;

import java.sql.Connection;
import java.sql.SQLException;
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
     *
     * <p>A container in a pool must fit the pool's quotas (maxContainers, maxCores, maxMemoryMb,
     * maxDiskGb), counting the pool's other containers plus this one at its new size: creating,
     * resizing and moving into a pool are all checked. The check and the write are one transaction,
     * serialised per pool by a row lock on the pool (see {@link #lockPoolAndCheckQuota}), so no number
     * of threads, engines or processes can push a pool over its quotas. A refusal
     * ({@link PoolQuotaExceededException}, with the numbers) writes nothing. Another manager's
     * container is refused with {@link OwnershipConflictException}, another resource's with
     * {@link ClaimConflictException} (see {@link Claim}), before quotas are looked at.
     */
    public Container upsert(String manager, ContainerSpec s) {
        return upsert(manager, s, null);
    }

    /**
     * {@link #upsert(String, ContainerSpec)}, and a row it inserts is born with intent {@code create}
     * of engine session {@code newRowSession} (when not null): a crash before the engine records
     * anything else leaves a row that the next run rolls back, never one that holds addresses for
     * nobody. An existing row keeps its intent.
     */
    public Container upsert(String manager, ContainerSpec s, Integer newRowSession) {
        Managers.check(manager);
        return upsert(Claim.asManager(manager), s, newRowSession);
    }

    /** Creates or updates the row as {@code claim} may (see {@link Claim}); a refusal writes nothing. */
    public Container upsert(Claim claim, ContainerSpec s) {
        return upsert(claim, s, null);
    }

    /**
     * {@link #upsert(Claim, ContainerSpec)}; a row it inserts is born with intent {@code create} of
     * engine session {@code newRowSession} (when not null), see {@link #upsert(String, ContainerSpec, Integer)}.
     */
    public Container upsert(Claim claim, ContainerSpec s, Integer newRowSession) {
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
        return db.write(c -> {
            if (s.poolId() != null) {
                lockPoolAndCheckQuota(c, claim, s);
            }
            List<Col> insertOnly = newRowSession == null ? List.of()
                    : List.of(Col.of("intent", "create"), Col.of("intent_session", newRowSession));
            return TABLE.upsert(c, claim, List.of(Col.of("site_id", s.siteId()), Col.of("name", s.name())), cols,
                    insertOnly).row();
        });
    }

    /**
     * The same quota check as {@link #upsert}, without locks and without writing: lets a caller refuse
     * before doing expensive work (the engine checks before any Proxmox call). Only advisory, as the
     * pool may fill up between this check and the write; {@link #upsert} decides.
     *
     * @throws PoolQuotaExceededException when {@code spec} would not fit its pool now
     */
    public void checkQuota(ContainerSpec spec) {
        if (spec.poolId() == null) {
            return;
        }
        db.read(c -> {
            Pool pool = PoolRepository.TABLE.get(c, spec.poolId()).orElseThrow(() -> new NotFoundException("pool", spec.poolId()));
            usageOfOthers(c, pool.id(), spec).refusal(pool, spec.resources()).ifPresent(e -> {
                throw e;
            });
            return null;
        });
    }

    /**
     * Serialises every write that can add usage to the pool, then checks the quota in the same
     * transaction as the write.
     *
     * <p>Why a row lock on the pool ({@code FOR NO KEY UPDATE}) and not an advisory lock keyed by the
     * pool id: the pool row holds the limits, so locking it also orders us with a concurrent quota
     * change ({@code UPDATE pools}) and a pool deletion, and we read the limits that are current at
     * the moment we hold the lock; an advisory lock would have to be taken by those writers too. Why
     * NO KEY UPDATE and not FOR UPDATE: the foreign key check of any container insert or update that
     * references the pool takes FOR KEY SHARE on the pool row <em>after</em> the write's trigger took
     * the registry's revision lock; FOR UPDATE conflicts with KEY SHARE and would let such a writer
     * and us wait on each other, NO KEY UPDATE does not, and it still conflicts with itself, with an
     * UPDATE of the pool and with its DELETE. The lock is taken before our own write takes the
     * revision lock, the same row-then-revision order every UPDATE uses. In READ COMMITTED each
     * statement sees everything committed before it started, so the usage read after the lock
     * includes every container written by the transactions that held the lock before us. A write
     * that changes nothing takes no revision: the lock alone writes no row version.
     */
    private static void lockPoolAndCheckQuota(Connection c, Claim claim, ContainerSpec s)
            throws SQLException {
        Pool pool = PoolRepository.TABLE.findForUpdate(c, "id = ?", s.poolId())
                .orElseThrow(() -> new NotFoundException("pool", s.poolId()));
        // Ownership and claim before quotas: a foreign container is refused as such, whatever its size.
        Optional<Container> current = TABLE.find(c, "site_id = ? and name = ?", s.siteId(), s.name());
        if (current.isPresent()) {
            Table.requireClaim(claim, TABLE.kind(), s.name(), current.get().meta());
        }
        usageOfOthers(c, pool.id(), s).refusal(pool, s.resources()).ifPresent(e -> {
            throw e;
        });
    }

    /** What the pool's containers other than {@code s} (by its natural key) use. */
    private static PoolUsage usageOfOthers(Connection c, long poolId, ContainerSpec s) throws SQLException {
        return Db.queryOne(c, """
                select count(*) as n,
                       coalesce(sum((resources->>'cores')::bigint), 0) as cores,
                       coalesce(sum((resources->>'memory_mb')::bigint), 0) as memory_mb,
                       coalesce(sum((resources->>'disk_gb')::bigint), 0) as disk_gb
                from containers where pool_id = ? and not (site_id = ? and name = ?)
                """, rs -> new PoolUsage(rs.getLong("n"), rs.getLong("cores"), rs.getLong("memory_mb"),
                rs.getLong("disk_gb")), poolId, s.siteId(), s.name()).orElse(PoolUsage.NONE);
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
     * retry after a crash finds the task instead of starting a second one. Nulls clear both. Without
     * an engine session the intent counts as abandoned at once (as one written before V8).
     */
    public Container recordIntent(String manager, long id, String intent, String taskUpid) {
        return recordIntent(manager, id, intent, taskUpid, null);
    }

    /**
     * Records {@code intent} with the {@link EngineSession} id of the engine recording it (see
     * {@link IntentRepository}); a null intent clears intent, task and session.
     */
    public Container recordIntent(String manager, long id, String intent, String taskUpid, Integer session) {
        return db.write(c -> {
            TABLE.requireManagedBy(c, manager, id);
            Db.update(c, "update containers set intent = ?, task_upid = ?, intent_session = ?::integer where id = ?", intent,
                    taskUpid, intent == null ? null : session, id);
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
        return delete(Claim.asManager(manager), id);
    }

    /** Deletes the row if {@code claim} may (its holder holds it, or it is unclaimed); false if it does not exist. */
    public boolean delete(Claim claim, long id) {
        return db.write(c -> TABLE.delete(c, claim, id));
    }
}
