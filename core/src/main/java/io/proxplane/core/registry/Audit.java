package io.proxplane.core.registry;

import java.sql.Connection;
import java.sql.SQLException;

/** Writes audit_log rows inside the caller's transaction, so a change and its record commit together. */
final class Audit {
    private Audit() {}

    static void write(Connection c, String actor, String action, String objectKind, String objectId, Object detail)
            throws SQLException {
        Db.update(c, """
                insert into audit_log (actor, action, object_kind, object_id, revision, detail)
                values (?, ?, ?, ?, nullif(current_setting('proxplane.tx_revision', true), '')::bigint, ?::jsonb)
                """, actor, action, objectKind, objectId, Db.toJson(detail));
    }
}
