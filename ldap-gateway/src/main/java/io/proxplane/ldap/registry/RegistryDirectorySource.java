package io.proxplane.ldap.registry;

import io.proxplane.core.registry.ChangeFeed;
import io.proxplane.core.registry.ChangeListener;
import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.RegistryChange;
import io.proxplane.core.registry.RegistryConfig;
import io.proxplane.ldap.directory.AccountStatus;
import io.proxplane.ldap.directory.DirectoryData;
import io.proxplane.ldap.directory.DirectoryGroup;
import io.proxplane.ldap.directory.DirectorySource;
import io.proxplane.ldap.directory.DirectoryUser;
import io.proxplane.ldap.directory.SecondFactor;
import io.proxplane.ldap.directory.ServiceAccount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The directory from the registry's users, groups and memberships, read in one REPEATABLE READ,
 * read-only transaction so a snapshot never mixes two states. Change notifications for those tables
 * (and every feed resync, e.g. after a reconnect) trigger a reload.
 *
 * <p>A user's primary gid is its chosen primary group's gid, else its private group's gid (registry
 * migration V9; pair with user private groups so that group is served). {@code primaryGid} set
 * overrides both and gives every user that one gid. Service accounts are served for binds only.
 */
public final class RegistryDirectorySource implements DirectorySource, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RegistryDirectorySource.class);
    private static final Set<String> TABLES = Set.of("users", "groups", "memberships", "service_accounts");

    private volatile Registry registry;
    private final RegistryConfig config;
    private volatile Thread opener;
    private volatile boolean closed;
    private final Long primaryGid;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private ChangeFeed feed;

    public RegistryDirectorySource(Registry registry, RegistryConfig config, Long primaryGid) {
        this.registry = registry;
        this.config = config;
        this.primaryGid = primaryGid;
    }

    /**
     * A source whose registry (migrations, change feed) is opened in the background, retrying
     * until PostgreSQL answers, so the gateway starts, from its saved snapshot, while it is down.
     * Loads do not need it: they use plain connections and fail until the database is back.
     */
    public static RegistryDirectorySource openingInBackground(RegistryConfig config, Long primaryGid) {
        RegistryDirectorySource s = new RegistryDirectorySource(null, config, primaryGid);
        s.opener = Thread.ofPlatform().daemon(true).name("registry-open").start(s::openUntilUp);
        return s;
    }

    private void openUntilUp() {
        long backoff = 1000;
        while (!closed) {
            try {
                Registry r = Registry.open(config);
                synchronized (this) {
                    if (closed) {
                        r.close();
                        return;
                    }
                    registry = r;
                    if (!listeners.isEmpty()) startFeed();
                }
                log.info("registry open: following its change feed");
                return;
            } catch (RuntimeException e) {
                log.warn("registry not reachable, retrying in {} s: {}", backoff / 1000, e.getMessage());
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, 30_000);
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password());
    }

    @Override
    public DirectoryData load() throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            Map<Long, String> usernames = new HashMap<>();
            List<DirectoryUser> users = new ArrayList<>();
            Map<Long, String> groupNames = new HashMap<>();
            Map<Long, Integer> gids = new HashMap<>();
            Map<Long, Instant> groupModified = new HashMap<>();
            Map<Long, TreeSet<String>> members = new HashMap<>();
            List<ServiceAccount> services = new ArrayList<>();
            try (Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("select u.id, u.username, u.uid, u.private_gid, g.gid as primary_gid,"
                        + " u.given_name, u.surname, u.mail, u.shell, u.ssh_keys, u.password_hash, u.status, u.twofa_mode,"
                        + " u.updated_at from users u left join groups g on g.id = u.primary_group_id order by u.username")) {
                    while (rs.next()) {
                        String username = rs.getString("username");
                        long uid = rs.getInt("uid");
                        long privateGid = rs.getInt("private_gid");
                        long chosen = rs.getInt("primary_gid");
                        long gid = primaryGid != null ? primaryGid : rs.wasNull() ? privateGid : chosen;
                        usernames.put(rs.getLong("id"), username);
                        users.add(new DirectoryUser(username, uid, gid,
                                rs.getString("given_name"), rs.getString("surname"), null, rs.getString("mail"),
                                rs.getString("shell"), null, textArray(rs.getArray("ssh_keys")), rs.getString("password_hash"),
                                "active".equals(rs.getString("status")) ? AccountStatus.ACTIVE : AccountStatus.SUSPENDED,
                                "push".equals(rs.getString("twofa_mode")) ? SecondFactor.PUSH : SecondFactor.NONE,
                                null, instant(rs.getTimestamp("updated_at")), privateGid));
                    }
                }
                try (ResultSet rs = st.executeQuery("select id, name, gid, updated_at from groups order by name")) {
                    while (rs.next()) {
                        long id = rs.getLong("id");
                        groupNames.put(id, rs.getString("name"));
                        gids.put(id, rs.getInt("gid"));
                        groupModified.put(id, instant(rs.getTimestamp("updated_at")));
                        members.put(id, new TreeSet<>());
                    }
                }
                try (ResultSet rs = st.executeQuery("select user_id, group_id from memberships")) {
                    while (rs.next()) {
                        String user = usernames.get(rs.getLong("user_id"));
                        TreeSet<String> set = members.get(rs.getLong("group_id"));
                        if (user != null && set != null) set.add(user);
                    }
                }
                try (ResultSet rs = st.executeQuery("select name, password_hash from service_accounts order by name")) {
                    while (rs.next()) {
                        services.add(new ServiceAccount(rs.getString("name"), rs.getString("password_hash")));
                    }
                }
            }
            c.commit();
            List<DirectoryGroup> groups = new ArrayList<>();
            for (Map.Entry<Long, String> g : groupNames.entrySet()) {
                groups.add(new DirectoryGroup(g.getValue(), gids.get(g.getKey()), members.get(g.getKey()),
                        groupModified.get(g.getKey())));
            }
            return new DirectoryData(users, groups, services);
        }
    }

    private static List<String> textArray(Array array) throws SQLException {
        if (array == null) return List.of();
        return List.of((String[]) array.getArray());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    @Override
    public synchronized void onChange(Runnable listener) {
        listeners.add(listener);
        if (registry != null) startFeed();
    }

    private synchronized void startFeed() {
        if (feed == null) {
            feed = registry.changeFeed(new ChangeListener() {
                @Override
                public void onChange(RegistryChange change) {
                    if (TABLES.contains(change.table())) listeners.forEach(Runnable::run);
                }

                @Override
                public void onResync(String reason) {
                    log.info("registry change feed resync ({}): reloading the directory", reason);
                    listeners.forEach(Runnable::run);
                }
            });
        }
    }

    /**
     * Writes the new hash (the registry's triggers bump the revision and notify every replica) and
     * an audit_log row in the same transaction.
     */
    @Override
    public void updatePassword(String uid, String passwordHash, Instant changedAt) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            long id;
            try (PreparedStatement ps = c.prepareStatement(
                    "update users set password_hash = ? where username = ? returning id")) {
                ps.setString(1, passwordHash);
                ps.setString(2, uid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        c.rollback();
                        throw new SQLException("no user '" + uid + "' in the registry");
                    }
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("insert into audit_log (actor, action, object_kind, object_id, detail)"
                    + " values ('ldap-gateway', 'update', 'user', ?, ?::jsonb)")) {
                ps.setString(1, Long.toString(id));
                ps.setString(2, "{\"field\":\"password_hash\",\"via\":\"LDAP Password Modify\",\"username\":\"" + uid + "\"}");
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (opener != null) opener.interrupt();
        if (feed != null) feed.close();
    }
}
