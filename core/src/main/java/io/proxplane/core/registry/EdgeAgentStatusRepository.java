package io.proxplane.core.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Edge agents report here. Heartbeats are frequent and carry no news, so they are neither audited
 * nor given a revision; an applied revision or an error is audited as a "report".
 */
public final class EdgeAgentStatusRepository {
    private static final String SELECT = """
            select id, agent_id, site_id, applied_revision, applied_at, last_error, heartbeat_at, updated_at,
                   skipped::text as skipped
            from edge_agent_status""";
    private static final Db.RowMapper<EdgeAgentStatus> MAPPER = rs -> new EdgeAgentStatus(rs.getLong("id"),
            rs.getString("agent_id"), rs.getLong("site_id"), Db.nullableLong(rs, "applied_revision"),
            Db.instant(rs, "applied_at"), rs.getString("last_error"), Db.instant(rs, "heartbeat_at"),
            Db.instant(rs, "updated_at"), skipped(rs.getString("skipped")));

    private final Db db;

    EdgeAgentStatusRepository(Db db) {
        this.db = db;
    }

    public EdgeAgentStatus heartbeat(String agentId, long siteId) {
        return db.write(c -> Db.queryOne(c, """
                insert into edge_agent_status (agent_id, site_id, heartbeat_at) values (?, ?, now())
                on conflict (agent_id) do update set site_id = excluded.site_id, heartbeat_at = now()
                returning id, agent_id, site_id, applied_revision, applied_at, last_error, heartbeat_at, updated_at,
                          skipped::text as skipped
                """, MAPPER, agentId, siteId).orElseThrow());
    }

    /** The agent rendered, validated and loaded the configuration of {@code revision}. */
    public EdgeAgentStatus reportApplied(String agentId, long siteId, long revision) {
        return reportApplied(agentId, siteId, revision, List.of());
    }

    /** As {@link #reportApplied(String, long, long)}, with the objects that configuration left out. */
    public EdgeAgentStatus reportApplied(String agentId, long siteId, long revision, List<EdgeAgentStatus.Skipped> skipped) {
        return report(agentId, siteId, revision, null, skipped);
    }

    /** The agent could not apply the configuration; the last good one keeps serving. */
    public EdgeAgentStatus reportError(String agentId, long siteId, String error) {
        if (error == null || error.isBlank()) {
            throw new IllegalArgumentException("error: required when reporting a failure");
        }
        return report(agentId, siteId, null, error, null);
    }

    /** @param skipped null = keep what was reported with the configuration still served */
    private EdgeAgentStatus report(String agentId, long siteId, Long revision, String error, List<EdgeAgentStatus.Skipped> skipped) {
        String skippedJson = skipped == null ? null : Db.toJson(skipped.stream()
                .map(k -> Map.of("kind", k.kind(), "name", k.name(), "reason", k.reason())).toList());
        return db.write(c -> {
            EdgeAgentStatus s = Db.queryOne(c, """
                    insert into edge_agent_status (agent_id, site_id, applied_revision, applied_at, last_error, heartbeat_at, skipped)
                    values (?, ?, ?, case when ?::bigint is null then null else now() end, ?, now(), coalesce(?::jsonb, '[]'))
                    on conflict (agent_id) do update set
                        site_id = excluded.site_id,
                        applied_revision = coalesce(excluded.applied_revision, edge_agent_status.applied_revision),
                        applied_at = coalesce(excluded.applied_at, edge_agent_status.applied_at),
                        last_error = excluded.last_error,
                        heartbeat_at = now(),
                        skipped = case when ?::jsonb is null then edge_agent_status.skipped else excluded.skipped end
                    returning id, agent_id, site_id, applied_revision, applied_at, last_error, heartbeat_at, updated_at,
                              skipped::text as skipped
                    """, MAPPER, agentId, siteId, revision, revision, error, skippedJson, skippedJson).orElseThrow();
            Audit.write(c, "edge-agent:" + agentId, "report", "edge agent", agentId,
                    error == null ? Map.of("applied_revision", revision, "skipped", skipped == null ? List.of() : skipped.stream()
                            .map(k -> k.kind() + " " + k.name()).toList()) : Map.of("error", error));
            return s;
        });
    }

    private static List<EdgeAgentStatus.Skipped> skipped(String json) {
        if (json == null) {
            return List.of();
        }
        List<EdgeAgentStatus.Skipped> out = new java.util.ArrayList<>();
        Db.jsonNode(json).forEach(n -> out.add(new EdgeAgentStatus.Skipped(n.path("kind").asText(), n.path("name").asText(),
                n.path("reason").asText())));
        return out;
    }

    public Optional<EdgeAgentStatus> get(String agentId) {
        return db.read(c -> Db.queryOne(c, SELECT + " where agent_id = ?", MAPPER, agentId));
    }

    public List<EdgeAgentStatus> listBySite(long siteId) {
        return db.read(c -> Db.query(c, SELECT + " where site_id = ? order by agent_id", MAPPER, siteId));
    }
}
