package io.proxplane.core.registry;

import java.util.List;

/** Read access to the audit log (rows are written by the repositories in their own transactions). */
public final class AuditLog {
    private static final Db.RowMapper<AuditEntry> MAPPER = rs -> new AuditEntry(rs.getLong("id"),
            Db.instant(rs, "at"), rs.getString("actor"), rs.getString("action"), rs.getString("object_kind"),
            rs.getString("object_id"), Db.nullableLong(rs, "revision"), Db.jsonNode(rs.getString("detail")));
    private static final String SELECT =
            "select id, at, actor, action, object_kind, object_id, revision, detail::text as detail from audit_log";

    private final Db db;

    AuditLog(Db db) {
        this.db = db;
    }

    public List<AuditEntry> forObject(String objectKind, long objectId) {
        return db.read(c -> Db.query(c, SELECT + " where object_kind = ? and object_id = ? order by id", MAPPER,
                objectKind, String.valueOf(objectId)));
    }

    public List<AuditEntry> latest(int limit) {
        return db.read(c -> Db.query(c, SELECT + " order by id desc limit ?", MAPPER, limit));
    }
}
