package io.proxplane.core.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Transactions with bounded retry, parameter binding and error translation. Every registry
 * statement goes through here so that retry and error rules are the same everywhere.
 */
final class Db {
    /** JSON stored in jsonb columns is snake_case, like the columns themselves. */
    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .findAndRegisterModules();

    /**
     * Unique constraints that guard allocated values. A violation of one of them means another
     * transaction took the value between our read and our write: retrying picks the next free one.
     * Any other unique violation is a real conflict in the caller's data and is reported at once.
     */
    static final Set<String> ALLOCATION_CONSTRAINTS = Set.of(
            "containers_site_vmid_unique", "containers_site_ipv4_unique", "containers_mac_unique",
            "services_site_protocol_port_unique", "users_uid_unique", "groups_gid_unique",
            "users_private_gid_unique");

    static final int MAX_ATTEMPTS = 8;

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Thrown by work that lost a race it can detect itself (e.g. INSERT .. ON CONFLICT DO NOTHING). */
    static final class Retry extends RuntimeException {
        Retry(String why) {
            super(why, null, false, false);
        }
    }

    private final DataSource dataSource;
    private volatile int attemptsOfLastWrite;

    Db(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Attempts the most recent write of this Db took; lets tests observe the retry path. */
    int attemptsOfLastWrite() {
        return attemptsOfLastWrite;
    }

    /** A READ COMMITTED write transaction, retried on serialization failure, deadlock or allocation races. */
    <T> T write(Work<T> work) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                try {
                    T result = work.run(c);
                    c.commit();
                    attemptsOfLastWrite = attempt;
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                }
            } catch (Retry e) {
                last = new RegistryException("gave up after " + MAX_ATTEMPTS + " attempts: " + e.getMessage());
            } catch (SQLException e) {
                if (!isRetryable(e)) {
                    throw translate(e);
                }
                last = new RegistryException("gave up after " + MAX_ATTEMPTS + " attempts: " + e.getMessage(), e);
            }
            backOff(attempt);
        }
        throw last;
    }

    /** One REPEATABLE READ, read-only transaction: every query sees the same snapshot. */
    <T> T snapshot(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setReadOnly(false);
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** A plain read in autocommit mode. */
    <T> T read(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    static boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        if ("40001".equals(state) || "40P01".equals(state)) {
            return true;
        }
        return "23505".equals(state) && ALLOCATION_CONSTRAINTS.contains(constraintOf(e));
    }

    static String constraintOf(SQLException e) {
        if (e instanceof PSQLException p) {
            ServerErrorMessage m = p.getServerErrorMessage();
            return m == null ? null : m.getConstraint();
        }
        return null;
    }

    static RuntimeException translate(SQLException e) {
        String state = e.getSQLState();
        if (state != null && state.startsWith("23")) {
            String constraint = constraintOf(e);
            String what = switch (state) {
                case "23505" -> "already taken";
                case "23503" -> "refers to a missing row or is still referenced";
                case "23514" -> "violates a rule";
                case "23502" -> "is missing a required value";
                default -> "violates an integrity constraint";
            };
            ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
            String detail = server == null ? null : server.getDetail();
            ConstraintViolationException.Rule rule = switch (state) {
                case "23505" -> ConstraintViolationException.Rule.UNIQUE;
                case "23514" -> ConstraintViolationException.Rule.CHECK;
                case "23502" -> ConstraintViolationException.Rule.NOT_NULL;
                case "23503" -> detail != null && detail.contains("still referenced")
                        ? ConstraintViolationException.Rule.STILL_REFERENCED : ConstraintViolationException.Rule.REFERENCE_MISSING;
                default -> ConstraintViolationException.Rule.OTHER;
            };
            return new ConstraintViolationException(
                    (constraint == null ? "value" : constraint) + ": " + what + " (" + firstLine(e.getMessage()) + ")",
                    constraint, rule, server == null ? null : server.getTable(), keyOf(detail), e);
        }
        return new RegistryException("registry: " + firstLine(e.getMessage()), e);
    }

    private static final java.util.regex.Pattern KEY_DETAIL =
            java.util.regex.Pattern.compile("Key \\((.+?)\\)=\\((.*)\\) (?:already exists|is not present|is still referenced).*",
                    java.util.regex.Pattern.DOTALL);

    /**
     * The offending key from PostgreSQL's detail ({@code Key (site_id, hostname)=(1, web) already
     * exists.}) as column -> value; empty when it cannot be read unambiguously (a value holding ", ").
     */
    static java.util.Map<String, String> keyOf(String detail) {
        if (detail == null) {
            return java.util.Map.of();
        }
        java.util.regex.Matcher m = KEY_DETAIL.matcher(detail);
        if (!m.matches()) {
            return java.util.Map.of();
        }
        String[] columns = m.group(1).split(", ");
        String[] values = columns.length == 1 ? new String[] {m.group(2)} : m.group(2).split(", ", -1);
        if (values.length != columns.length) {
            return java.util.Map.of();
        }
        java.util.Map<String, String> key = new java.util.LinkedHashMap<>();
        for (int i = 0; i < columns.length; i++) {
            key.put(columns[i], values[i]);
        }
        return key;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }

    private static void backOff(int attempt) {
        // Jitter keeps competing writers from retrying in lock-step.
        long millis = ThreadLocalRandom.current().nextLong(1, 5L << Math.min(attempt, 5));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while retrying a registry transaction");
        }
    }

    // ---- statements ------------------------------------------------------------------------

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    static <T> Optional<T> queryOne(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        List<T> rows = query(c, sql, mapper, params);
        if (rows.size() > 1) {
            throw new IllegalStateException("expected at most one row from: " + sql);
        }
        return rows.stream().findFirst();
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, params);
            return ps.executeUpdate();
        }
    }

    static void bind(Connection c, PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, toSql(c, params[i]));
        }
    }

    private static Object toSql(Connection c, Object v) throws SQLException {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Number n -> n;
            case Boolean b -> b;
            case Instant t -> Timestamp.from(t);
            case java.sql.Array a -> a;
            case Enum<?> e -> e.toString();
            case Collection<?> coll when coll.stream().allMatch(x -> x instanceof String) ->
                    c.createArrayOf("text", coll.toArray());
            default -> toJson(v);
        };
    }

    static String toJson(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new RegistryException("cannot encode " + v.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
    }

    static <T> T fromJson(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new RegistryException("registry holds malformed JSON for " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    static <T> List<T> listFromJson(String json, Class<T> type) {
        try {
            return JSON.readValue(json, JSON.getTypeFactory().constructCollectionType(List.class, type));
        } catch (JsonProcessingException e) {
            throw new RegistryException("registry holds malformed JSON list of " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    static JsonNode jsonNode(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RegistryException("registry holds malformed JSON: " + e.getMessage(), e);
        }
    }

    static List<String> textArray(ResultSet rs, String column) throws SQLException {
        java.sql.Array a = rs.getArray(column);
        if (a == null) {
            return List.of();
        }
        Object[] values = (Object[]) a.getArray();
        List<String> out = new ArrayList<>(values.length);
        for (Object o : values) {
            out.add((String) o);
        }
        return List.copyOf(out);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
