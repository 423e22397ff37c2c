package io.proxplane.core.registry;

import io.proxplane.core.registry.Table.Col;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Directory groups. A group without a requested gid gets the lowest free one in the configured range. */
public final class GroupRepository {
    static final Table<Group> TABLE = new Table<>("group", "groups", "id, name, gid, is_admin, " + Rows.META, "name",
            rs -> new Group(rs.getLong("id"), new GroupSpec(rs.getString("name"), rs.getInt("gid"),
                    rs.getBoolean("is_admin")), Rows.meta(rs)));

    private final Db db;
    private final Allocators allocators;

    GroupRepository(Db db, Allocators allocators) {
        this.db = db;
        this.allocators = allocators;
    }

    public Group upsert(String manager, GroupSpec s) {
        return upsert(Claim.asManager(manager), s);
    }

    /** Creates or updates the row as {@code claim} may (see {@link Claim}); a refusal writes nothing. */
    public Group upsert(Claim claim, GroupSpec s) {
        return db.write(c -> {
            Optional<Group> existing = TABLE.findForUpdate(c, "name = ?", s.name());
            if (existing.isPresent()) {
                Table.requireClaim(claim, "group", s.name(), existing.get().meta());
            }
            List<Col> cols = new ArrayList<>(List.of(Col.of("is_admin", s.admin())));
            List<Col> insertOnly = new ArrayList<>();
            Long selfId = existing.map(Group::id).orElse(null);
            if (s.gid() != null) {
                if (existing.isEmpty() || existing.get().gid() != s.gid()) {
                    cols.add(Col.of("gid", allocators.chooseGid(c, s.gid(), selfId)));
                }
            } else if (existing.isEmpty()) {
                insertOnly.add(Col.of("gid", allocators.chooseGid(c, null, null)));
            }
            return TABLE.upsert(c, claim, List.of(Col.of("name", s.name())), cols, insertOnly).row();
        });
    }

    public Optional<Group> get(long id) {
        return db.read(c -> TABLE.get(c, id));
    }

    public Optional<Group> findByName(String name) {
        return db.read(c -> TABLE.find(c, "name = ?", name));
    }

    public List<Group> list() {
        return db.read(c -> TABLE.list(c, null));
    }

    /** Deletes the group and its memberships; the gid returns to the pool. */
    public boolean delete(String manager, long id) {
        return delete(Claim.asManager(manager), id);
    }

    /** Deletes the row if {@code claim} may (its holder holds it, or it is unclaimed); false if it does not exist. */
    public boolean delete(Claim claim, long id) {
        return db.write(c -> TABLE.delete(c, claim, id));
    }
}
