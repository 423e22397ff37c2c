package io.proxplane.core.registry;

import io.proxplane.core.registry.Table.Col;

import java.util.List;
import java.util.Optional;

public final class ExternalDomainRepository {
    static final Table<ExternalDomain> TABLE = new Table<>("external domain", "external_domains",
            "id, name, site_id, tls_source::text as tls_source, auth_server_url, forward_auth::text as forward_auth, " + Rows.META, "name",
            rs -> new ExternalDomain(rs.getLong("id"), new ExternalDomainSpec(rs.getString("name"),
                    Db.nullableLong(rs, "site_id"), Db.jsonNode(rs.getString("tls_source")),
                    rs.getString("auth_server_url"), Db.jsonNode(rs.getString("forward_auth"))), Rows.meta(rs)));

    private final Db db;

    ExternalDomainRepository(Db db) {
        this.db = db;
    }

    public ExternalDomain upsert(String manager, ExternalDomainSpec s) {
        return upsert(Claim.asManager(manager), s);
    }

    /** Creates or updates the row as {@code claim} may (see {@link Claim}); a refusal writes nothing. */
    public ExternalDomain upsert(Claim claim, ExternalDomainSpec s) {
        return db.write(c -> TABLE.upsert(c, claim, List.of(Col.of("name", s.name())), List.of(
                Col.of("site_id", s.siteId()),
                Col.cast("tls_source", "jsonb", Db.toJson(s.tlsSource())),
                Col.of("auth_server_url", s.authServerUrl()),
                Col.cast("forward_auth", "jsonb", Db.toJson(s.forwardAuth()))), List.of()).row());
    }

    public Optional<ExternalDomain> get(long id) {
        return db.read(c -> TABLE.get(c, id));
    }

    public Optional<ExternalDomain> findByName(String name) {
        return db.read(c -> TABLE.find(c, "name = ?", name));
    }

    public List<ExternalDomain> list() {
        return db.read(c -> TABLE.list(c, null));
    }

    /** Deletes the domain; refused while HTTP services still use it (foreign key). */
    public boolean delete(String manager, long id) {
        return delete(Claim.asManager(manager), id);
    }

    /** Deletes the row if {@code claim} may (its holder holds it, or it is unclaimed); false if it does not exist. */
    public boolean delete(Claim claim, long id) {
        return db.write(c -> TABLE.delete(c, claim, id));
    }
}
