package io.proxplane.core.registry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationTest {
    static TestDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    /** The versions of the migration scripts the build ships, in order: every one must be applied. */
    private static List<String> shippedMigrations() throws Exception {
        Path dir = Path.of(MigrationTest.class.getResource("/db/migration").toURI());
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")))
                    .sorted(java.util.Comparator.comparingInt(Integer::parseInt))
                    .toList();
        }
    }

    @Test
    void migratesAnEmptyDatabaseAndIsIdempotentOnRestart() throws Exception {
        long siteId;
        try (Registry registry = Registry.open(database.config())) {
            assertThat(tables()).contains("sites", "external_domains", "containers", "services", "pools", "users",
                    "groups", "memberships", "edge_agent_status", "audit_log", "registry_head");
            assertThat(appliedMigrations()).containsExactlyElementsOf(shippedMigrations());
            siteId = registry.sites().upsert(Fixtures.K8S,
                    Fixtures.site("lab", "10.0.0.0/24", "10.0.0.1", null, null, List.of())).id();
        }
        // Second start: nothing to migrate, data intact.
        try (Registry registry = Registry.open(database.config())) {
            assertThat(appliedMigrations()).containsExactlyElementsOf(shippedMigrations());
            assertThat(registry.sites().get(siteId)).isPresent();
            assertThat(registry.currentRevision()).isPositive();
        }
    }

    /**
     * V9 on rows made before it: a user whose uid equals a group's gid (served with that shared group
     * as primary group until then) keeps its uid and gets a fresh private gid above every number in
     * use; every other user's private gid is its uid, the gid it was served all along.
     */
    @Test
    void v9GivesEveryExistingUserAPrivateGidThatNoGroupHolds() throws Exception {
        try (TestDatabase old = TestDatabase.create()) {
            org.flywaydb.core.Flyway.configure().dataSource(old.jdbcUrl(), TestDatabase.USER, TestDatabase.PASSWORD)
                    .locations("classpath:db/migration").target("8").load().migrate();
            try (Connection c = old.connect(); Statement st = c.createStatement()) {
                st.execute("insert into groups (managed_by, name, gid) values ('k8s:a/b', 'ct-104-users', 10000),"
                        + " ('k8s:a/b', 'devs', 10002)");
                st.execute("insert into users (managed_by, username, uid) values ('k8s:a/b', 'dave', 10000),"
                        + " ('k8s:a/b', 'erin', 10001), ('k8s:a/b', 'fred', 10002)");
            }
            try (Registry registry = Registry.open(old.config())) {
                assertThat(registry.users().findByUsername("erin").orElseThrow().privateGid()).isEqualTo(10001);
                User dave = registry.users().findByUsername("dave").orElseThrow();
                User fred = registry.users().findByUsername("fred").orElseThrow();
                assertThat(dave.uid()).isEqualTo(10000);
                assertThat(List.of(dave.privateGid(), fred.privateGid())).containsExactly(10003, 10004);
                assertThat(registry.users().findByUsername("dave").orElseThrow().spec().primaryGroupId()).isNull();
            }
        }
    }

    private static List<String> tables() throws Exception {
        return column("select table_name from information_schema.tables where table_schema = 'public'");
    }

    private static List<String> appliedMigrations() throws Exception {
        return column("select version from flyway_schema_history where success and version is not null order by installed_rank");
    }

    private static List<String> column(String sql) throws Exception {
        try (Connection c = database.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
