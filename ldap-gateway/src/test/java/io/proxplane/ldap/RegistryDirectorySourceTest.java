package io.proxplane.ldap;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.PasswordModifyExtendedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.proxplane.core.registry.GroupSpec;
import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.RegistryConfig;
import io.proxplane.core.registry.User;
import io.proxplane.core.registry.UserSpec;
import io.proxplane.ldap.auth.BindThrottle;
import io.proxplane.ldap.auth.LoggingBindAuditor;
import io.proxplane.ldap.directory.DirectoryLayout;
import io.proxplane.ldap.registry.RegistryBindAuditor;
import io.proxplane.ldap.registry.RegistryDirectorySource;
import io.proxplane.ldap.server.GatewayConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.proxplane.ldap.TestDirectory.BASE;
import static org.assertj.core.api.Assertions.assertThat;

/** The registry-backed directory on the real PostgreSQL (127.0.0.1:5432, user postgres), in a throw-away database. */
class RegistryDirectorySourceTest {
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final String MANAGER = "terraform:ldap-test";
    static String dbName;
    static Registry registry;
    static RegistryConfig config;

    @BeforeAll
    static void createDatabase() throws Exception {
        dbName = "proxplane_ldap_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
        admin("create database " + dbName);
        config = RegistryConfig.of(PG + dbName, "postgres", null);
        registry = Registry.open(config);
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (registry != null) registry.close();
        admin("drop database if exists " + dbName + " with (force)");
    }

    static void admin(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", null); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    void servesTheRegistryAndFollowsItsChangeFeed() throws Exception {
        User alice = registry.users().upsert(MANAGER, new UserSpec("alice", 2001, "Alice", "Liddell", "alice@example.com",
                "/bin/bash", List.of("ssh-ed25519 AAAAalice"), TestDirectory.hash("alice-secret"), "active", "none"));
        User bob = registry.users().upsert(MANAGER, new UserSpec("bob", 2002, "Bob", null, null, null, List.of(),
                TestDirectory.hash("bob-secret"), "active", "none"));
        var devs = registry.groups().upsert(MANAGER, new GroupSpec("devs", 3001, false));
        registry.memberships().add(MANAGER, alice.id(), devs.id());
        registry.memberships().add(MANAGER, bob.id(), devs.id());

        var meters = new SimpleMeterRegistry();
        try (var source = new RegistryDirectorySource(registry, config, null);
             var auditor = new RegistryBindAuditor(config, new LoggingBindAuditor(), meters);
             var gateway = new Gateway(new Gateway.Settings(new DirectoryLayout(BASE, true),
                     GatewayConfig.defaults().withRequireTlsForBind(false), TestDirectory.CHEAP, BindThrottle.Policy.DEFAULT,
                     InetAddress.getLoopbackAddress(), 0, -1, null, Duration.ofMinutes(5), true),
                     source, null, auditor, meters, Clock.systemUTC());
             LDAPConnection c = new LDAPConnection("127.0.0.1", gateway.ldapPort())) {
            c.bind("uid=alice,ou=people," + BASE, "alice-secret");
            SearchResultEntry a = c.searchForEntry(BASE, SearchScope.SUB,
                    "(&(uid=alice)(objectclass=posixAccount)(uid=*)(&(uidNumber=*)(!(uidNumber=0))))", "*", "memberOf");
            assertThat(a.getAttributeValue("uidNumber")).isEqualTo("2001");
            assertThat(a.getAttributeValue("gidNumber")).as("user private group gid = uid").isEqualTo("2001");
            assertThat(a.getAttributeValue("sshPublicKey")).isEqualTo("ssh-ed25519 AAAAalice");
            assertThat(a.getAttributeValues("memberOf")).containsExactly("cn=devs,ou=groups," + BASE);
            assertThat(c.searchForEntry(BASE, SearchScope.SUB, "(&(objectClass=posixGroup)(gidNumber=3001))")
                    .getAttributeValues("memberUid")).containsExactly("alice", "bob");
            assertThat(c.searchForEntry(BASE, SearchScope.SUB, "(&(objectClass=posixGroup)(gidNumber=2002))")
                    .getAttributeValue("cn")).as("private group of bob").isEqualTo("bob");

            // A new user and a suspension arrive through LISTEN/NOTIFY.
            registry.users().upsert(MANAGER, new UserSpec("carol", 2003, null, null, null, null, List.of(),
                    TestDirectory.hash("carol-secret"), "active", "none"));
            SnapshotRefreshTest.awaitCount(c, "(uid=carol)", 1);
            registry.users().upsert(MANAGER, new UserSpec("bob", 2002, "Bob", null, null, null, List.of(),
                    TestDirectory.hash("bob-secret"), "suspended", "none"));
            // a hang guard of minutes, not a budget: the refresh comes when the machine gets to it
            for (long end = System.nanoTime() + 120_000_000_000L; System.nanoTime() < end && gateway.refresher().get().user("bob").status().mayBind(); ) Thread.sleep(10);
            try (LDAPConnection b = new LDAPConnection("127.0.0.1", gateway.ldapPort())) {
                assertThat(PagingAndHostileRequestsTest.code(() -> b.bind("uid=bob,ou=people," + BASE, "bob-secret")))
                        .isEqualTo(ResultCode.INVALID_CREDENTIALS);
            }

            // Password Modify writes the registry; the change feed brings it back to the snapshot.
            c.bind("uid=alice,ou=people," + BASE, "alice-secret");
            var result = c.processExtendedOperation(new PasswordModifyExtendedRequest(null, "alice-secret", "alice-new-pass"));
            assertThat(result.getResultCode()).isEqualTo(ResultCode.SUCCESS);
            String stored = registry.users().findByUsername("alice").orElseThrow().spec().passwordHash();
            assertThat(stored).startsWith("$argon2id$");
            // Wait for the snapshot, not by binding: failed binds while it is on its way would lock
            // the account (five in a row on a busy machine). A hang guard of minutes, not a budget.
            for (long end = System.nanoTime() + 120_000_000_000L;
                 System.nanoTime() < end && !stored.equals(gateway.refresher().get().user("alice").passwordHash()); ) Thread.sleep(10);
            try (LDAPConnection n = new LDAPConnection("127.0.0.1", gateway.ldapPort())) {
                assertThat(PagingAndHostileRequestsTest.code(() -> n.bind("uid=alice,ou=people," + BASE, "alice-new-pass")))
                        .isEqualTo(ResultCode.SUCCESS);
            }
        }
        try (Connection db = DriverManager.getConnection(config.jdbcUrl(), "postgres", null); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("select count(*) filter (where object_kind = 'ldap_bind'),"
                     + " count(*) filter (where object_kind = 'ldap_bind' and detail->>'outcome' = 'invalid_credentials'"
                     + "   and detail->>'reason' = 'account suspended'),"
                     + " count(*) filter (where actor = 'ldap-gateway' and object_kind = 'user' and action = 'update')"
                     + " from audit_log")) {
            rs.next();
            assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(4);
            assertThat(rs.getInt(2)).isEqualTo(1);
            assertThat(rs.getInt(3)).isEqualTo(1);
        }
    }

    /**
     * Issue 13 item 1: uids and gids both start at the bottom of their ranges, so a user created
     * after a group got the group's number as uid, and with gid = uid the shared group became its
     * primary group. The primary group must be the user's own private group.
     */
    @Test
    void aUsersPrimaryGroupIsItsPrivateGroupNeverAnotherGroup() throws Exception {
        var group = registry.groups().upsert(MANAGER, new GroupSpec("ct-104-users", null, false));
        User dave = registry.users().upsert(MANAGER, new UserSpec("dave", null, null, null, null, null, List.of(),
                TestDirectory.hash("dave-secret"), "active", "none"));
        registry.memberships().add(MANAGER, dave.id(), group.id());
        var meters = new SimpleMeterRegistry();
        try (var source = new RegistryDirectorySource(registry, config, null);
             var gateway = new Gateway(new Gateway.Settings(new DirectoryLayout(BASE, true),
                     GatewayConfig.defaults().withRequireTlsForBind(false), TestDirectory.CHEAP, BindThrottle.Policy.DEFAULT,
                     InetAddress.getLoopbackAddress(), 0, -1, null, Duration.ofMinutes(5), true),
                     source, null, new LoggingBindAuditor(), meters, Clock.systemUTC());
             LDAPConnection c = new LDAPConnection("127.0.0.1", gateway.ldapPort())) {
            c.bind("uid=dave,ou=people," + BASE, "dave-secret");
            String gid = c.searchForEntry(BASE, SearchScope.SUB, "(&(objectClass=posixAccount)(uid=dave))")
                    .getAttributeValue("gidNumber");
            List<String> owners = c.search(BASE, SearchScope.SUB, "(&(objectClass=posixGroup)(gidNumber=" + gid + "))", "cn")
                    .getSearchEntries().stream().map(e -> e.getAttributeValue("cn")).toList();
            assertThat(owners).as("groups with dave's primary gid " + gid + " (group ct-104-users has "
                    + group.gid() + ")").containsExactly("dave");
            assertThat(c.searchForEntry(BASE, SearchScope.SUB, "(&(objectClass=posixGroup)(cn=ct-104-users))")
                    .getAttributeValues("memberUid")).containsExactly("dave");
        }
    }

    /**
     * Issue 13 item 2: the example sssd.conf/nslcd.conf bind as uid=ct-104,ou=services; the registry
     * holds such service accounts and the gateway serves them for binds, not as users.
     */
    @Test
    void servesTheRegistrysServiceAccountsForBindsOnly() throws Exception {
        registry.serviceAccounts().upsert(io.proxplane.core.registry.Claim.asManager(MANAGER),
                new io.proxplane.core.registry.ServiceAccountSpec("ct-104", "lookups of container 104",
                        TestDirectory.hash("ct-104-service-secret")));
        var meters = new SimpleMeterRegistry();
        try (var source = new RegistryDirectorySource(registry, config, null);
             var gateway = new Gateway(new Gateway.Settings(new DirectoryLayout(BASE, true),
                     GatewayConfig.defaults().withRequireTlsForBind(false), TestDirectory.CHEAP, BindThrottle.Policy.DEFAULT,
                     InetAddress.getLoopbackAddress(), 0, -1, null, Duration.ofMinutes(5), true),
                     source, null, new LoggingBindAuditor(), meters, Clock.systemUTC());
             LDAPConnection c = new LDAPConnection("127.0.0.1", gateway.ldapPort())) {
            assertThat(PagingAndHostileRequestsTest.code(() -> c.bind("uid=ct-104,ou=services," + BASE, "wrong-password")))
                    .isEqualTo(ResultCode.INVALID_CREDENTIALS);
            c.bind("uid=ct-104,ou=services," + BASE, "ct-104-service-secret");
            assertThat(c.search(BASE, SearchScope.SUB, "(objectClass=posixAccount)", "uid").getSearchEntries())
                    .extracting(e -> e.getAttributeValue("uid")).isNotEmpty().doesNotContain("ct-104");

            // Deleting it in the registry revokes the bind through the change feed.
            var row = registry.serviceAccounts().findByName("ct-104").orElseThrow();
            registry.serviceAccounts().delete(io.proxplane.core.registry.Claim.asManager(MANAGER), row.id());
            for (long end = System.nanoTime() + 120_000_000_000L;
                 System.nanoTime() < end && gateway.refresher().get().serviceAccount("ct-104") != null; ) Thread.sleep(10);
            try (LDAPConnection b = new LDAPConnection("127.0.0.1", gateway.ldapPort())) {
                assertThat(PagingAndHostileRequestsTest.code(() -> b.bind("uid=ct-104,ou=services," + BASE, "ct-104-service-secret")))
                        .isEqualTo(ResultCode.INVALID_CREDENTIALS);
            }
        }
    }
}
