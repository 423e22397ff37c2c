package io.proxplane.core.registry;

import io.proxplane.core.registry.Table.Col;

import java.util.List;
import java.util.Optional;

/** Service accounts: the identities SSSD and nslcd bind as to look users and groups up. */
public final class ServiceAccountRepository {
    static final Table<ServiceAccount> TABLE = new Table<>("service account", "service_accounts",
            "id, name, description, password_hash, " + Rows.META, "name",
            rs -> new ServiceAccount(rs.getLong("id"), new ServiceAccountSpec(rs.getString("name"),
                    rs.getString("description"), rs.getString("password_hash")), Rows.meta(rs)));

    private final Db db;

    ServiceAccountRepository(Db db) {
        this.db = db;
    }

    /** Creates or updates the row as {@code claim} may (see {@link Claim}); a refusal writes nothing. */
    public ServiceAccount upsert(Claim claim, ServiceAccountSpec s) {
        return db.write(c -> {
            Optional<ServiceAccount> existing = TABLE.findForUpdate(c, "name = ?", s.name());
            if (existing.isPresent()) {
                Table.requireClaim(claim, "service account", s.name(), existing.get().meta());
            }
            return TABLE.upsert(c, claim, List.of(Col.of("name", s.name())),
                    List.of(Col.of("description", s.description()), Col.of("password_hash", s.passwordHash())),
                    List.of()).row();
        });
    }

    public Optional<ServiceAccount> findByName(String name) {
        return db.read(c -> TABLE.find(c, "name = ?", name));
    }

    public List<ServiceAccount> list() {
        return db.read(c -> TABLE.list(c, null));
    }

    /** Deletes the row if {@code claim} may (its holder holds it, or it is unclaimed); false if it does not exist. */
    public boolean delete(Claim claim, long id) {
        return db.write(c -> TABLE.delete(c, claim, id));
    }
}
