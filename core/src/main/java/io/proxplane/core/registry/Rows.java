package io.proxplane.core.registry;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Shared row-mapping pieces. */
final class Rows {
    private Rows() {}

    static final String META = "managed_by, revision, created_at, updated_at, claimed_by";

    static RowMeta meta(ResultSet rs) throws SQLException {
        return new RowMeta(rs.getString("managed_by"), rs.getLong("revision"),
                Db.instant(rs, "created_at"), Db.instant(rs, "updated_at"), rs.getString("claimed_by"));
    }
}
