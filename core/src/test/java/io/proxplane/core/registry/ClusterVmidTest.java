package io.proxplane.core.registry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Set;

import static io.proxplane.core.registry.Fixtures.K8S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** vmids are unique per Proxmox cluster (sites sharing an endpoint), not per site (migration V4). */
class ClusterVmidTest {
    static TestDatabase database;
    static Registry registry;

    @BeforeAll
    static void open() {
        database = TestDatabase.create();
        registry = Registry.open(database.config());
    }

    @AfterAll
    static void close() {
        registry.close();
        database.close();
    }

    private static Site site(String name, String cidrPrefix, String... urls) {
        return registry.sites().upsert(K8S, new SiteSpec(name, name + ".internal", cidrPrefix + ".0/24", cidrPrefix + ".1",
                null, null, List.of(), List.of(), "vmbr0",
                java.util.Arrays.stream(urls).map(u -> new ProxmoxEndpoint(u, null, "secret/pve")).toList(), null, null));
    }

    private static ContainerAddresses reserve(Site site, String name, Set<Integer> proxmox) {
        Container ct = registry.containers().upsert(K8S, Fixtures.container(site.id(), name));
        return registry.allocators().reserveContainerAddresses(K8S, site.id(), ct.id(), proxmox);
    }

    @Test
    void clusterKeyIsTheSameRuleInJavaAndSql() throws Exception {
        List<String> urls = List.of("https://PVE.example:8006", "https://pve.example:8006/", "https://pve.example:8006/api2/json",
                "https://pve.example:8006/api2/json/", "https://pve.example:443/", "https://pve.example", "https://pve.example:4430",
                "https://10.0.0.5:8006//");
        try (Connection c = database.connect(); PreparedStatement st = c.prepareStatement("select proxplane_endpoint_key(?)")) {
            for (String u : urls) {
                st.setString(1, u);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).as(u).isEqualTo(ProxmoxEndpoint.clusterKey(u));
                }
            }
        }
        assertThat(ProxmoxEndpoint.clusterKey("https://PVE.example:8006/api2/json/")).isEqualTo("https://pve.example:8006");
        assertThat(ProxmoxEndpoint.clusterKey("https://pve.example:443/")).isEqualTo("https://pve.example");
        assertThat(ProxmoxEndpoint.clusterKey("https://pve.example:4430")).isEqualTo("https://pve.example:4430");
    }

    @Test
    void sitesSharingAnEndpointNeverHoldTheSameVmid() {
        Site east = site("east", "10.60.0", "https://pve.shared:8006");
        Site west = site("west", "10.61.0", "https://PVE.shared:8006/api2/json");
        Site both = site("both", "10.62.0", "https://other:8006", "https://pve.shared:8006/");
        Site alone = site("alone", "10.63.0", "https://alone:8006");
        assertThat(reserve(east, "e1", Set.of()).vmid()).isEqualTo(100);
        assertThat(reserve(west, "w1", Set.of()).vmid()).as("same cluster as east").isEqualTo(101);
        assertThat(reserve(both, "b1", Set.of(102)).vmid()).as("one of its clusters is east's").isEqualTo(103);
        assertThat(reserve(alone, "a1", Set.of()).vmid()).as("another cluster has its own vmids").isEqualTo(100);

        // the database refuses it too, whoever writes
        Container w1 = registry.containers().findByName(west.id(), "w1").orElseThrow();
        assertThatThrownBy(() -> {
            try (Connection c = database.connect(); PreparedStatement st = c.prepareStatement("update containers set vmid = 100 where id = ?")) {
                st.setLong(1, w1.id());
                st.executeUpdate();
            }
        }).hasMessageContaining("vmid 100 is held by container 'e1' of site 'east' on the same Proxmox cluster");

        // and a site may not move onto a cluster where its vmids are taken
        SiteSpec moved = new SiteSpec("alone", "alone.internal", "10.63.0.0/24", "10.63.0.1", null, null, List.of(), List.of(),
                "vmbr0", List.of(new ProxmoxEndpoint("https://pve.shared:8006", null, "secret/pve")), null, null);
        assertThatThrownBy(() -> registry.sites().upsert(K8S, moved))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.getMessage()).contains("sites_cluster_vmids_unique", "vmid 100"));
    }

    @Test
    void identityIsTwelveLowercaseHexCharactersStoredOnce() throws Exception {
        assertThat(registry.identity()).matches("[0-9a-f]{12}");
        try (Connection c = database.connect(); PreparedStatement st = c.prepareStatement("select count(*), min(id) from registry_identity");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getString(2)).isEqualTo(registry.identity());
        }
        assertThatThrownBy(() -> {
            try (Connection c = database.connect(); PreparedStatement st = c.prepareStatement("insert into registry_identity (singleton, id) values (false, 'abcdefabcdef')")) {
                st.executeUpdate();
            }
        }).hasMessageContaining("registry_identity_singleton");
    }
}
