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
