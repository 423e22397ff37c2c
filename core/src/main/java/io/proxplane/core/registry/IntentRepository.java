package io.proxplane.core.registry;

import java.util.List;
import java.util.Map;

/**
 * Intents whose writer is gone. Every intent (a container's {@code intent} column, a row of
 * {@code engine_pool_intents}) carries the {@link EngineSession} id of the engine that recorded
 * it (migration V8). It is <em>abandoned</em> iff no connection holds that session's advisory lock
 * in this database: PostgreSQL guarantees that once the writer's connection is gone, however it
 * went. An intent of a live session is never reported, so no engine "recovers" an operation that
 * is merely in progress elsewhere (another thread, replica or Terraform run).
 */
public final class IntentRepository {
    /** A container's ({@code kind} container, {@code key} its id) or a pool's (key its name) abandoned intent. */
    public record Abandoned(String kind, String key, String intent, Integer session) {
        public static final String CONTAINER = "container";
        public static final String POOL = "pool";

        public long containerId() {
            return Long.parseLong(key);
        }
    }

    // The two-int form pg_advisory_lock(k1, k2) shows in pg_locks as classid = k1, objid = k2,
    // objsubid = 2 (the bigint form uses objsubid = 1). Advisory locks are per database, and
    // pg_locks shows every database's: filter on ours.
    private static final String HELD = """
            exists (select 1 from pg_locks l
                    where l.locktype = 'advisory' and l.granted and l.objsubid = 2
                      and l.database = (select oid from pg_database where datname = current_database())
                      and l.classid = %d and l.objid = (%s)::bigint::oid)
            """;
    private static final String ABANDONED = "(%1$s is null or not " + HELD.formatted(EngineSession.LOCK_CLASS, "%1$s") + ")";

    private final Db db;

    IntentRepository(Db db) {
        this.db = db;
    }

    /**
     * The abandoned intents of the site's containers and of all pools (pools belong to no site and
     * are few), in one statement; empty in the common case. Uses the partial index on containers
     * with an intent.
     */
    public List<Abandoned> abandoned(long siteId) {
        return db.read(c -> Db.query(c, "select 'container' as kind, id::text as key, intent, intent_session from containers "
                + "where site_id = ? and intent is not null and " + ABANDONED.formatted("intent_session")
                + " union all select 'pool', pool_name, intent, intent_session from engine_pool_intents where "
                + ABANDONED.formatted("intent_session") + " order by 1, 2",
                rs -> new Abandoned(rs.getString(1), rs.getString(2), rs.getString(3), Db.nullableInt(rs, "intent_session")), siteId));
    }

    /** The abandoned pool intents only (a pool apply or delete, which has no site). */
    public List<Abandoned> abandonedPools() {
        return db.read(c -> Db.query(c, "select 'pool', pool_name, intent, intent_session from engine_pool_intents where "
                + ABANDONED.formatted("intent_session") + " order by 2",
                rs -> new Abandoned(rs.getString(1), rs.getString(2), rs.getString(3), Db.nullableInt(rs, "intent_session"))));
    }

    /**
     * Takes over a container's abandoned intent: succeeds for exactly one caller, and only while the
     * row still holds that intent under the dead session (and that session is still dead).
     */
    public boolean takeOverContainer(Abandoned a, int mySession) {
        return db.write(c -> {
            var manager = Db.queryOne(c, "update containers set intent_session = ? where id = ? and intent = ? "
                    + "and intent_session is not distinct from ?::integer and " + ABANDONED.formatted("intent_session")
                    + " returning managed_by", rs -> rs.getString(1), mySession, a.containerId(), a.intent(), a.session());
            if (manager.isPresent()) {
                Audit.write(c, manager.get(), "update", ContainerRepository.TABLE.kind(), a.key(),
                        Map.of("intent", a.intent(), "intent_session", mySession + " (taken over from " + a.session() + ")"));
            }
            return manager.isPresent();
        });
    }

    /** The same for a pool's intent. */
    public boolean takeOverPool(Abandoned a, int mySession) {
        return db.write(c -> Db.update(c, "update engine_pool_intents set intent_session = ? where pool_name = ? and intent = ? "
                + "and intent_session is not distinct from ?::integer and " + ABANDONED.formatted("intent_session"),
                mySession, a.key(), a.intent(), a.session()) == 1);
    }

    /**
     * Hands a taken-over intent back after its resolution failed: the session is cleared, so it
     * counts as abandoned again and the next run (of any engine) tries again.
     */
    public void releaseContainer(long id, int mySession) {
        db.write(c -> Db.update(c, "update containers set intent_session = null where id = ? and intent_session = ?", id, mySession));
    }

    public void releasePool(String name, int mySession) {
        db.write(c -> Db.update(c, "update engine_pool_intents set intent_session = null where pool_name = ? and intent_session = ?",
                name, mySession));
    }

    /** Whether a connection holds the session's lock now (tests and diagnostics). */
    public boolean alive(int session) {
        return db.read(c -> Db.queryOne(c, "select " + HELD.formatted(EngineSession.LOCK_CLASS, "?::integer"),
                rs -> rs.getBoolean(1), session).orElseThrow());
    }
}
