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
 * The shared, explicit SQL of one managed table: get, list, ownership-checked upsert and delete,
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

    /**
     * Creates the row identified by {@code keys} or updates it if {@code manager} manages it.
     * An update that would change nothing writes nothing: no revision, no notification, no audit,
     * so a front door can re-apply its desired state as often as it likes.
     *
     * @param insertOnly columns written only when the row is created (e.g. an allocated uid)
     */
    Upserted<R> upsert(Connection c, String manager, List<Col> keys, List<Col> cols, List<Col> insertOnly)
            throws SQLException {
        Managers.check(manager);
        String keyWhere = where(keys);
        Object[] keyParams = values(keys);

        if (!cols.isEmpty()) {
            StringJoiner set = new StringJoiner(", ");
            StringJoiner current = new StringJoiner(", ", "(", ")");
            StringJoiner wanted = new StringJoiner(", ", "(", ")");
            for (Col col : cols) {
                set.add(col.name() + " = " + col.param());
                current.add(name + "." + col.name());
                wanted.add(col.param());
            }
            String sql = "update " + name + " set " + set + " where " + keyWhere + " and managed_by = ?"
                    + " and row" + current + " is distinct from row" + wanted + " returning " + selectList;
            List<Object> params = new ArrayList<>();
            params.addAll(java.util.Arrays.asList(values(cols)));
            params.addAll(java.util.Arrays.asList(keyParams));
            params.add(manager);
            params.addAll(java.util.Arrays.asList(values(cols)));
            Optional<R> updated = Db.queryOne(c, sql, mapper, params.toArray());
            if (updated.isPresent()) {
                Audit.write(c, manager, "update", kind, idOf(c, keys), detail(cols));
                return new Upserted<>(updated.get(), Change.UPDATED);
            }
        }

        Optional<Owned> existing = Db.queryOne(c,
                "select id, managed_by, " + labelSql + " as label from " + name + " where " + keyWhere,
                rs -> new Owned(rs.getLong("id"), rs.getString("managed_by"), rs.getString("label")), keyParams);
        if (existing.isPresent()) {
            Owned o = existing.get();
            if (!o.managedBy().equals(manager)) {
                throw new OwnershipConflictException(kind, o.label(), o.managedBy(), manager);
            }
            return new Upserted<>(get(c, o.id()).orElseThrow(), Change.UNCHANGED);
        }

        List<Col> all = new ArrayList<>();
        all.add(Col.of("managed_by", manager));
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
        List<Col> auditCols = new ArrayList<>(keys);
        auditCols.addAll(cols);
        auditCols.addAll(insertOnly);
        Audit.write(c, manager, "create", kind, idOf(c, keys), detail(auditCols));
        return new Upserted<>(inserted.get(), Change.CREATED);
    }

    /** Deletes the row if {@code manager} manages it; false if it does not exist. */
    boolean delete(Connection c, String manager, long id) throws SQLException {
        Managers.check(manager);
        Optional<Owned> o = owned(c, id);
        if (o.isEmpty()) {
            return false;
        }
        if (!o.get().managedBy().equals(manager)) {
            throw new OwnershipConflictException(kind, o.get().label(), o.get().managedBy(), manager);
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
        Owned o = Db.queryOne(c, "select id, managed_by, " + labelSql + " as label from " + name
                        + " where id = ? for no key update", rs -> new Owned(rs.getLong("id"), rs.getString("managed_by"),
                        rs.getString("label")), id)
                .orElseThrow(() -> new NotFoundException(kind, id));
        if (!o.managedBy().equals(manager)) {
            throw new OwnershipConflictException(kind, o.label(), o.managedBy(), manager);
        }
        return o;
    }

    record Owned(long id, String managedBy, String label) {}

    private Optional<Owned> owned(Connection c, long id) throws SQLException {
        return Db.queryOne(c, "select id, managed_by, " + labelSql + " as label from " + name + " where id = ?",
                rs -> new Owned(rs.getLong("id"), rs.getString("managed_by"), rs.getString("label")), id);
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
