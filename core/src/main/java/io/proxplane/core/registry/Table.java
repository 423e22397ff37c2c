package io.proxplane.core.registry;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The shared, explicit SQL of one managed table: get, list, ownership- and claim-checked upsert and delete,
 * each mutation writing its audit row in the caller's transaction.
 *
 * @param kind       object kind used in messages and in the audit log, e.g. "site"
 * @param name       SQL table name
 * @param selectList column list that {@link #mapper} reads (casts inet/macaddr to text)
 * @param labelSql   SQL expression naming a row for people, e.g. "name"
 */
record Table<R>(String kind, String name, String selectList, String labelSql, Db.RowMapper<R> mapper) {

    /** A column value to write; {@code cast} is the SQL type the text parameter is cast to, or null. */
    record Col(String name, String cast, Object value) {
        static Col of(String name, Object value) {
            return new Col(name, null, value);
        }

        static Col cast(String name, String cast, Object value) {
            return new Col(name, cast, value);
        }

        String param() {
            return cast == null ? "?" : "?::" + cast;
        }
    }

    enum Change { CREATED, UPDATED, UNCHANGED }

    record Upserted<R>(R row, Change change) {}

    Optional<R> get(Connection c, long id) throws SQLException {
        return Db.queryOne(c, "select " + selectList + " from " + name + " where id = ?", mapper, id);
    }

    Optional<R> find(Connection c, String where, Object... params) throws SQLException {
        return Db.queryOne(c, "select " + selectList + " from " + name + " where " + where, mapper, params);
    }

    /**
     * Like {@link #find} but locks the row (FOR NO KEY UPDATE) until the transaction ends. Taken
     * before an allocation's revision lock, it keeps the lock order row-then-revision, the same
     * order an UPDATE's trigger uses, so the two cannot deadlock.
     */
    Optional<R> findForUpdate(Connection c, String where, Object... params) throws SQLException {
        return Db.queryOne(c, "select " + selectList + " from " + name + " where " + where + " for no key update",
                mapper, params);
    }

    List<R> list(Connection c, String whereOrNull, Object... params) throws SQLException {
        String sql = "select " + selectList + " from " + name
                + (whereOrNull == null ? "" : " where " + whereOrNull) + " order by id";
        return Db.query(c, sql, mapper, params);
    }

    /** {@link #upsert(Connection, Claim, List, List, List)} for the manager as a whole ({@link Claim#asManager}). */
    Upserted<R> upsert(Connection c, String manager, List<Col> keys, List<Col> cols, List<Col> insertOnly)
            throws SQLException {
        return upsert(c, Claim.asManager(manager), keys, cols, insertOnly);
    }

    /**
     * Creates the row identified by {@code keys} or updates it if the claim may (its manager manages
     * it, and the claim's holder holds it or may take it, see {@link Claim}). The existing row is
     * locked first (FOR NO KEY UPDATE, the row-then-revision order every UPDATE uses), so the check
     * and the write of both the columns and {@code claimed_by} are atomic: two resources racing for
     * one object cannot both win. A refusal writes nothing. An update that would change nothing
     * (columns and claim as they are) writes nothing: no revision, no notification, no audit, so a
     * front door can re-apply its desired state as often as it likes.
     *
     * @param insertOnly columns written only when the row is created (e.g. an allocated uid)
     */
    Upserted<R> upsert(Connection c, Claim claim, List<Col> keys, List<Col> cols, List<Col> insertOnly)
            throws SQLException {
        String manager = claim.manager();
        String keyWhere = where(keys);
        Object[] keyParams = values(keys);

        Optional<Owned> existing = Db.queryOne(c, "select id, managed_by, claimed_by, " + labelSql + " as label from "
                + name + " where " + keyWhere + " for no key update", Table::owned, keyParams);
        if (existing.isPresent()) {
            Owned o = existing.get();
            Optional<RegistryException> refusal = claim.refusal(kind, o.label(), o.managedBy(), o.claimedBy());
            if (refusal.isPresent()) {
                throw refusal.get();
            }
            List<Col> set = new ArrayList<>(cols);
            if (claim.claims(o.claimedBy())) {
                set.add(Col.of("claimed_by", claim.holder()));
            }
            if (!set.isEmpty()) {
                StringJoiner assign = new StringJoiner(", ");
                StringJoiner current = new StringJoiner(", ", "(", ")");
                StringJoiner wanted = new StringJoiner(", ", "(", ")");
                for (Col col : set) {
                    assign.add(col.name() + " = " + col.param());
                    current.add(name + "." + col.name());
                    wanted.add(col.param());
                }
                String sql = "update " + name + " set " + assign + " where id = ?"
                        + " and row" + current + " is distinct from row" + wanted + " returning " + selectList;
                List<Object> params = new ArrayList<>(java.util.Arrays.asList(values(set)));
                params.add(o.id());
                params.addAll(java.util.Arrays.asList(values(set)));
                Optional<R> updated = Db.queryOne(c, sql, mapper, params.toArray());
                if (updated.isPresent()) {
                    Audit.write(c, manager, "update", kind, String.valueOf(o.id()), detail(set));
                    return new Upserted<>(updated.get(), Change.UPDATED);
                }
            }
            return new Upserted<>(get(c, o.id()).orElseThrow(), Change.UNCHANGED);
        }

        List<Col> all = new ArrayList<>();
        all.add(Col.of("managed_by", manager));
        if (claim.holder() != null) {
            all.add(Col.of("claimed_by", claim.holder()));
        }
        all.addAll(keys);
        all.addAll(cols);
        all.addAll(insertOnly);
        StringJoiner names = new StringJoiner(", ");
        StringJoiner params = new StringJoiner(", ");
        for (Col col : all) {
            names.add(col.name());
            params.add(col.param());
        }
        StringJoiner keyNames = new StringJoiner(", ");
        keys.forEach(k -> keyNames.add(k.name()));
        String sql = "insert into " + name + " (" + names + ") values (" + params + ") on conflict (" + keyNames
                + ") do nothing returning " + selectList;
        Optional<R> inserted = Db.queryOne(c, sql, mapper, values(all));
        if (inserted.isEmpty()) {
            // Another transaction created the same key since our read: start over and see whose it is.
            throw new Db.Retry(kind + " " + describe(keys) + " was created concurrently");
        }
        List<Col> auditCols = new ArrayList<>();
        if (claim.holder() != null) {
            auditCols.add(Col.of("claimed_by", claim.holder()));
        }
        auditCols.addAll(keys);
        auditCols.addAll(cols);
        auditCols.addAll(insertOnly);
        Audit.write(c, manager, "create", kind, idOf(c, keys), detail(auditCols));
        return new Upserted<>(inserted.get(), Change.CREATED);
    }

    /** Deletes the row if {@code manager} manages it; false if it does not exist. */
    boolean delete(Connection c, String manager, long id) throws SQLException {
        return delete(c, Claim.asManager(manager), id);
    }

    /**
     * Deletes the row if the claim may (its manager manages it; its holder holds it, or it is
     * unclaimed, see {@link Claim#deleteRefusal}); false if it does not exist. The row is locked
     * while checked, so its claim cannot change between the check and the delete.
     */
    boolean delete(Connection c, Claim claim, long id) throws SQLException {
        String manager = claim.manager();
        Optional<Owned> o = Db.queryOne(c, "select id, managed_by, claimed_by, " + labelSql + " as label from " + name
                + " where id = ? for no key update", Table::owned, id);
        if (o.isEmpty()) {
            return false;
        }
        Optional<RegistryException> refusal = claim.deleteRefusal(kind, o.get().label(), o.get().managedBy(),
                o.get().claimedBy());
        if (refusal.isPresent()) {
            throw refusal.get();
        }
        int n = Db.update(c, "delete from " + name + " where id = ? and managed_by = ?", id, manager);
        if (n == 1) {
            Audit.write(c, manager, "delete", kind, String.valueOf(id), Map.of("name", o.get().label()));
        }
        return n == 1;
    }

    /**
     * Locks the row and checks that {@code manager} manages it; the lock keeps the owner from
     * changing until our transaction ends.
     */
    Owned requireManagedBy(Connection c, String manager, long id) throws SQLException {
        Managers.check(manager);
        Owned o = Db.queryOne(c, "select id, managed_by, claimed_by, " + labelSql + " as label from " + name
                        + " where id = ? for no key update", Table::owned, id)
                .orElseThrow(() -> new NotFoundException(kind, id));
        if (!o.managedBy().equals(manager)) {
            throw new OwnershipConflictException(kind, o.label(), o.managedBy(), manager);
        }
        return o;
    }

    /**
     * Runs {@code claim}'s check on a row the caller already read (and locked) in its transaction,
     * for repositories that must refuse before allocating (a uid, a port) for the upsert.
     */
    static void requireClaim(Claim claim, String kind, String key, RowMeta meta) {
        Optional<RegistryException> refusal = claim.refusal(kind, key, meta.managedBy(), meta.claimedBy());
        if (refusal.isPresent()) {
            throw refusal.get();
        }
    }

    record Owned(long id, String managedBy, String claimedBy, String label) {}

    private static Owned owned(java.sql.ResultSet rs) throws SQLException {
        return new Owned(rs.getLong("id"), rs.getString("managed_by"), rs.getString("claimed_by"), rs.getString("label"));
    }

    private String idOf(Connection c, List<Col> keys) throws SQLException {
        return Db.queryOne(c, "select id from " + name + " where " + where(keys), rs -> rs.getString(1), values(keys))
                .orElse("?");
    }

    private static String where(List<Col> keys) {
        StringJoiner w = new StringJoiner(" and ");
        for (Col k : keys) {
            w.add(k.name() + " = " + k.param());
        }
        return w.toString();
    }

    private static Object[] values(List<Col> cols) {
        return cols.stream().map(Col::value).toArray();
    }

    private static String describe(List<Col> keys) {
        StringJoiner j = new StringJoiner(", ", "(", ")");
        keys.forEach(k -> j.add(k.name() + "=" + k.value()));
        return j.toString();
    }

    private static Map<String, Object> detail(List<Col> cols) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (Col col : cols) {
            // Even a hash is not copied into the audit log; the fact that it changed is enough.
            d.put(col.name(), col.name().equals("password_hash") && col.value() != null ? "(set)" : col.value());
        }
        return d;
    }
}
