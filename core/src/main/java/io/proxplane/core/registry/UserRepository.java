package io.proxplane.core.registry;

import io.proxplane.core.registry.Table.Col;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Directory users. A user without a requested uid gets the lowest free one in the configured range. */
public final class UserRepository {
    static final Table<User> TABLE = new Table<>("user", "users", """
            id, username, uid, given_name, surname, mail, shell, ssh_keys, password_hash, status, twofa_mode,
            private_gid, primary_group_id, """ + Rows.META, "username",
            rs -> new User(rs.getLong("id"), new UserSpec(rs.getString("username"), rs.getInt("uid"),
                    rs.getString("given_name"), rs.getString("surname"), rs.getString("mail"), rs.getString("shell"),
                    Db.textArray(rs, "ssh_keys"), rs.getString("password_hash"), rs.getString("status"),
                    rs.getString("twofa_mode"), rs.getInt("private_gid"), Db.nullableLong(rs, "primary_group_id")),
                    Rows.meta(rs)));

    private final Db db;
    private final Allocators allocators;

    UserRepository(Db db, Allocators allocators) {
        this.db = db;
        this.allocators = allocators;
    }

    public User upsert(String manager, UserSpec s) {
        return upsert(Claim.asManager(manager), s);
    }

    /** Creates or updates the row as {@code claim} may (see {@link Claim}); a refusal writes nothing. */
    public User upsert(Claim claim, UserSpec s) {
        return db.write(c -> {
            Optional<User> existing = TABLE.findForUpdate(c, "username = ?", s.username());
            if (existing.isPresent()) {
                Table.requireClaim(claim, "user", s.username(), existing.get().meta());
            }
            List<Col> cols = new ArrayList<>(List.of(
                    Col.of("given_name", s.givenName()),
                    Col.of("surname", s.surname()),
                    Col.of("mail", s.mail()),
                    Col.of("shell", s.shell()),
                    Col.of("ssh_keys", s.sshKeys()),
                    Col.of("password_hash", s.passwordHash()),
                    Col.of("status", s.status()),
                    Col.of("twofa_mode", s.twofaMode()),
                    Col.of("primary_group_id", s.primaryGroupId())));
            List<Col> insertOnly = new ArrayList<>();
            Long selfId = existing.map(User::id).orElse(null);
            Integer uid = existing.map(User::uid).orElse(null);
            if (s.uid() != null) {
                if (existing.isEmpty() || existing.get().uid() != s.uid()) {
                    uid = allocators.chooseUid(c, s.uid(), selfId);
                    cols.add(Col.of("uid", uid));
                }
            } else if (existing.isEmpty()) {
                uid = allocators.chooseUid(c, null, null);
                insertOnly.add(Col.of("uid", uid));
            }
            // The private group's gid: the uid where that number is free as a gid (always so for an
            // allocated uid), chosen once and kept, so file ownership inside containers stays right.
            if (s.privateGid() != null) {
                if (existing.isEmpty() || existing.get().privateGid() != s.privateGid()) {
                    cols.add(Col.of("private_gid", allocators.choosePrivateGid(c, s.privateGid(), true, selfId)));
                }
            } else if (existing.isEmpty()) {
                insertOnly.add(Col.of("private_gid", allocators.choosePrivateGid(c, uid, false, null)));
            }
            return TABLE.upsert(c, claim, List.of(Col.of("username", s.username())), cols, insertOnly).row();
        });
    }

    public Optional<User> get(long id) {
        return db.read(c -> TABLE.get(c, id));
    }

    public Optional<User> findByUsername(String username) {
        return db.read(c -> TABLE.find(c, "username = ?", username));
    }

    public List<User> list() {
        return db.read(c -> TABLE.list(c, null));
    }

    /** Deletes the user and its memberships; the uid returns to the pool. */
    public boolean delete(String manager, long id) {
        return delete(Claim.asManager(manager), id);
    }

    /** Deletes the row if {@code claim} may (its holder holds it, or it is unclaimed); false if it does not exist. */
    public boolean delete(Claim claim, long id) {
        return db.write(c -> TABLE.delete(c, claim, id));
    }
}
