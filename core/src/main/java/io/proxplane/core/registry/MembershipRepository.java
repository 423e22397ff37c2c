package io.proxplane.core.registry;

import io.proxplane.core.registry.Table.Col;

import java.util.List;

/** Group memberships. Either front door may add members; each membership row has its own manager. */
public final class MembershipRepository {
    static final Table<Membership> TABLE = new Table<>("membership", "memberships",
            "id, user_id, group_id, " + Rows.META,
            "(select username from users u where u.id = user_id) || ' in ' || (select name from groups g where g.id = group_id)",
            rs -> new Membership(rs.getLong("id"), rs.getLong("user_id"), rs.getLong("group_id"), Rows.meta(rs)));

    private final Db db;

    MembershipRepository(Db db) {
        this.db = db;
    }

    public Membership add(String manager, long userId, long groupId) {
        return db.write(c -> TABLE.upsert(c, manager,
                List.of(Col.of("user_id", userId), Col.of("group_id", groupId)), List.of(), List.of()).row());
    }

    /** Removes the membership if {@code manager} manages it; false if there was none. */
    public boolean remove(String manager, long userId, long groupId) {
        return db.write(c -> {
            var m = TABLE.find(c, "user_id = ? and group_id = ?", userId, groupId);
            return m.isPresent() && TABLE.delete(c, manager, m.get().id());
        });
    }

    public List<Membership> listByGroup(long groupId) {
        return db.read(c -> TABLE.list(c, "group_id = ?", groupId));
    }

    public List<Membership> listByUser(long userId) {
        return db.read(c -> TABLE.list(c, "user_id = ?", userId));
    }

    public List<Membership> list() {
        return db.read(c -> TABLE.list(c, null));
    }
}
