package io.proxplane.core.registry;

import java.time.Instant;
import java.util.List;

/**
 * Certificates edge agents obtained by ACME, as each agent reports them: names, issuer, validity
 * and the latest failure. Status only; keys stay on the edge host. Not audited (a renewal is
 * routine) and not part of the change feed (nothing here reaches a configuration).
 */
public final class EdgeCertificateRepository {
    private static final String COLUMNS = """
            c.agent_id, c.domain_id, d.name as domain, array_to_string(c.names, ',') as names, c.issuer, c.serial,
            c.not_before, c.not_after, c.last_error, c.updated_at""";
    private static final Db.RowMapper<EdgeCertificate> MAPPER = rs -> new EdgeCertificate(rs.getString("agent_id"),
            rs.getLong("domain_id"), rs.getString("domain"),
            rs.getString("names") == null || rs.getString("names").isEmpty() ? List.of() : List.of(rs.getString("names").split(",")),
            rs.getString("issuer"), rs.getString("serial"), Db.instant(rs, "not_before"), Db.instant(rs, "not_after"),
            rs.getString("last_error"), Db.instant(rs, "updated_at"));

    private final Db db;

    EdgeCertificateRepository(Db db) {
        this.db = db;
    }

    /** A certificate was issued (and is served): clears the last error. */
    public void reportIssued(String agentId, long domainId, List<String> names, String issuer, String serial,
            Instant notBefore, Instant notAfter) {
        db.write(c -> Db.update(c, """
                insert into edge_certificates (agent_id, domain_id, names, issuer, serial, not_before, not_after, last_error, updated_at)
                values (?, ?, string_to_array(?, ','), ?, ?, ?, ?, null, now())
                on conflict (agent_id, domain_id) do update set names = excluded.names, issuer = excluded.issuer,
                    serial = excluded.serial, not_before = excluded.not_before, not_after = excluded.not_after,
                    last_error = null, updated_at = now()
                """, agentId, domainId, String.join(",", names), issuer, serial, notBefore,
                notAfter));
    }

    /** An attempt failed; a certificate issued before keeps its row (and keeps being served). */
    public void reportFailure(String agentId, long domainId, String error) {
        db.write(c -> Db.update(c, """
                insert into edge_certificates (agent_id, domain_id, last_error, updated_at) values (?, ?, ?, now())
                on conflict (agent_id, domain_id) do update set last_error = excluded.last_error, updated_at = now()
                """, agentId, domainId, error));
    }

    public List<EdgeCertificate> listByDomain(long domainId) {
        return db.read(c -> Db.query(c, "select " + COLUMNS + " from edge_certificates c join external_domains d on d.id = c.domain_id"
                + " where c.domain_id = ? order by c.agent_id", MAPPER, domainId));
    }

    /**
     * A certificate as one agent reports it; issuer/serial/validity null until one was issued.
     */
    public record EdgeCertificate(String agentId, long domainId, String domain, List<String> names, String issuer,
            String serial, Instant notBefore, Instant notAfter, String lastError, Instant updatedAt) {
        public EdgeCertificate {
            names = List.copyOf(names);
        }
    }
}
