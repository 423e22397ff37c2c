package io.proxplane.core.registry;

import io.proxplane.core.registry.alloc.AllocationException;
import io.proxplane.core.registry.alloc.MacAddresses;
import io.proxplane.core.registry.alloc.PortHeldException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.proxplane.core.registry.Fixtures.K8S;
import static io.proxplane.core.registry.Fixtures.TF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllocatorTest {
    static TestDatabase database;
    static Registry registry;

    @BeforeAll
    static void open() {
        database = TestDatabase.create();
        registry = Registry.open(database.config().withRanges(
                new AllocationRanges(10000, 10002, 20000, 20001, 100, 999_999_999, MacAddresses.DEFAULT_PREFIX)));
    }

    @AfterAll
    static void close() {
        registry.close();
        database.close();
    }

    private static Site site(String name, String cidr, String gateway, String dhcpStart, String dhcpEnd, List<Ipv4Range> reserved) {
        return registry.sites().upsert(K8S, Fixtures.site(name, cidr, gateway, dhcpStart, dhcpEnd, reserved));
    }

    private static ContainerAddresses reserve(Site site, String container) {
        Container ct = registry.containers().upsert(K8S, Fixtures.container(site.id(), container));
        return registry.allocators().reserveContainerAddresses(K8S, site.id(), ct.id(), Set.of());
    }

    @Test
    void ipv4NeverGivesNetworkBroadcastGatewayDhcpOrReservedAndReportsExhaustion() {
        // 10.50.0.0/28: .0 network, .15 broadcast, .1 gateway, .2-.4 reserved, .8-.12 DHCP.
        Site site = site("tiny", "10.50.0.0/28", "10.50.0.1", "10.50.0.8", "10.50.0.12",
                List.of(new Ipv4Range("10.50.0.2", "10.50.0.4")));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(reserve(site, "c" + i).ipv4());
        }
        assertThat(got).containsExactly("10.50.0.5", "10.50.0.6", "10.50.0.7", "10.50.0.13", "10.50.0.14");
        assertThatThrownBy(() -> reserve(site, "c5"))
                .isInstanceOf(AllocationException.class)
                .hasMessage("site 'tiny' has no free IPv4 address in 10.50.0.0/28");
        // the failed reservation left nothing half-done
        Container c5 = registry.containers().findByName(site.id(), "c5").orElseThrow();
        assertThat(c5.vmid()).isNull();
        assertThat(c5.mac()).isNull();
    }

    @Test
    void reservationIsIdempotentAndCarriesNet0Settings() {
        Site site = site("idem", "10.51.0.0/24", "10.51.0.1", null, null, List.of());
        Container ct = registry.containers().upsert(K8S, Fixtures.container(site.id(), "web"));
        ContainerAddresses first = registry.allocators().reserveContainerAddresses(K8S, site.id(), ct.id(), Set.of());
        long head = registry.currentRevision();
        ContainerAddresses again = registry.allocators().reserveContainerAddresses(K8S, site.id(), ct.id(), Set.of());
        assertThat(again).isEqualTo(first);
        assertThat(registry.currentRevision()).isEqualTo(head);
        assertThat(first.prefixLength()).isEqualTo(24);
        assertThat(first.gateway()).isEqualTo("10.51.0.1");
        assertThat(first.ipv4()).isEqualTo("10.51.0.2");
        assertThat(MacAddresses.isLocallyAdministeredUnicast(first.mac())).isTrue();
        assertThat(first.mac()).startsWith("02:70:78:");
        Container stored = registry.containers().get(ct.id()).orElseThrow();
        assertThat(stored.vmid()).isEqualTo(first.vmid());
        assertThat(stored.mac()).isEqualTo(first.mac());
        assertThat(stored.ipv4()).isEqualTo(first.ipv4());
        assertThatThrownBy(() -> registry.allocators().reserveContainerAddresses(K8S, site.id() + 1000, ct.id(), Set.of()))
                .hasMessageContaining("belongs to site id");
    }

    @Test
    void releasedAddressesAreReused() {
        Site site = site("reuse", "10.52.0.0/24", "10.52.0.1", null, null, List.of());
        ContainerAddresses a = reserve(site, "a");
        ContainerAddresses b = reserve(site, "b");
        assertThat(b.ipv4()).isEqualTo("10.52.0.3");
        registry.allocators().releaseContainerAddresses(K8S, a.containerId());
        Container released = registry.containers().get(a.containerId()).orElseThrow();
        assertThat(released.ipv4()).isNull();
        ContainerAddresses c = reserve(site, "c");
        assertThat(c.ipv4()).isEqualTo(a.ipv4());
        assertThat(c.vmid()).isEqualTo(a.vmid());
        // deleting a container frees its values too
        registry.containers().delete(K8S, b.containerId());
        assertThat(reserve(site, "d").ipv4()).isEqualTo(b.ipv4());
    }

    @Test
    void vmidSkipsWhatProxmoxAlreadyUsesAndIsPerSite() {
        Site one = site("vm1", "10.53.0.0/24", "10.53.0.1", null, null, List.of());
        Site two = site("vm2", "10.54.0.0/24", "10.54.0.1", null, null, List.of());
        Container ct = registry.containers().upsert(K8S, Fixtures.container(one.id(), "x"));
        ContainerAddresses a = registry.allocators().reserveContainerAddresses(K8S, one.id(), ct.id(), Set.of(100, 101, 103));
        assertThat(a.vmid()).isEqualTo(102);
        Container ct2 = registry.containers().upsert(K8S, Fixtures.container(one.id(), "y"));
        assertThat(registry.allocators().reserveContainerAddresses(K8S, one.id(), ct2.id(), Set.of(100, 101, 103)).vmid())
                .isEqualTo(104);
        Container other = registry.containers().upsert(K8S, Fixtures.container(two.id(), "x"));
        assertThat(registry.allocators().reserveContainerAddresses(K8S, two.id(), other.id(), Set.of()).vmid())
                .as("another site (another Proxmox cluster) has its own vmids").isEqualTo(100);
    }

    @Test
    void portsAreLowestFreePerProtocolHonouredWhenRequestedAndRefusedNamingTheHolder() {
        Site site = site("lab", "10.55.0.0/24", "10.55.0.1", null, null, List.of());
        Container web1 = registry.containers().upsert(K8S, Fixtures.container(site.id(), "web1"));
        Container web2 = registry.containers().upsert(K8S, Fixtures.container(site.id(), "web2"));

        assertThat(registry.services().upsert(K8S, ServiceSpec.tcp(web1.id(), "a", 80, null)).externalPort()).isEqualTo(2000);
        assertThat(registry.services().upsert(K8S, ServiceSpec.tcp(web1.id(), "ssh", 22, 2222)).externalPort()).isEqualTo(2222);
        assertThat(registry.services().upsert(K8S, ServiceSpec.tcp(web1.id(), "b", 81, null)).externalPort()).isEqualTo(2001);
        assertThat(registry.services().upsert(K8S, ServiceSpec.udp(web1.id(), "dns", 53, null)).externalPort())
                .as("udp has its own port space").isEqualTo(2000);
        assertThat(registry.services().upsert(K8S, ServiceSpec.udp(web2.id(), "dns2", 53, 2222)).externalPort()).isEqualTo(2222);

        assertThatThrownBy(() -> registry.services().upsert(TF, ServiceSpec.tcp(web2.id(), "ssh", 22, 2222)))
                .isInstanceOf(PortHeldException.class)
                .hasMessage("tcp port 2222 is held by service 'ssh' of container 'web1' (site 'lab')");
        assertThatThrownBy(() -> registry.services().upsert(K8S, ServiceSpec.tcp(web2.id(), "low", 22, 1999)))
                .hasMessage("external_port: 1999 is outside 2000-65535");
        assertThatThrownBy(() -> registry.services().upsert(K8S, ServiceSpec.tcp(web2.id(), "high", 22, 65536)))
                .hasMessage("external_port: 65536 is outside 2000-65535");

        // re-applying keeps the allocated port; moving to a requested free port works
        assertThat(registry.services().upsert(K8S, ServiceSpec.tcp(web1.id(), "a", 80, null)).externalPort()).isEqualTo(2000);
        Service moved = registry.services().upsert(K8S, ServiceSpec.tcp(web1.id(), "a", 80, 3000));
        assertThat(moved.externalPort()).isEqualTo(3000);
        // 2000 is free again and is handed out next
        assertThat(registry.services().upsert(K8S, ServiceSpec.tcp(web2.id(), "c", 80, null)).externalPort()).isEqualTo(2000);
        // deleting the holder releases 2222
        Service ssh = registry.services().findByName(web1.id(), "ssh").orElseThrow();
        registry.services().delete(K8S, ssh.id());
        assertThat(registry.services().upsert(TF, ServiceSpec.tcp(web2.id(), "ssh", 22, 2222)).externalPort()).isEqualTo(2222);
    }

    @Test
    void portExhaustionIsReported() throws Exception {
        Site site = site("full", "10.56.0.0/24", "10.56.0.1", null, null, List.of());
        Container ct = registry.containers().upsert(K8S, Fixtures.container(site.id(), "hog"));
        // Fill the tcp range directly (63536 rows), then ask for one more.
        try (var c = database.connect(); var st = c.createStatement()) {
            st.execute("insert into services (managed_by, container_id, site_id, name, kind, internal_port, protocol, external_port) "
                    + "select '" + K8S + "', " + ct.id() + ", " + site.id() + ", 'p' || p, 'tcp', 80, 'tcp', p "
                    + "from generate_series(2000, 65535) p");
        }
        assertThatThrownBy(() -> registry.services().upsert(K8S, ServiceSpec.tcp(ct.id(), "one-more", 80, null)))
                .isInstanceOf(AllocationException.class)
                .hasMessage("site 'full' has no free tcp port in 2000-65535");
        assertThat(registry.services().upsert(K8S, ServiceSpec.udp(ct.id(), "u", 53, null)).externalPort()).isEqualTo(2000);
    }

    @Test
    void uidAndGidComeFromTheConfiguredRangesAndAreReleased() {
        User a = registry.users().upsert(K8S, user("ua", null));
        User b = registry.users().upsert(K8S, user("ub", null));
        User c = registry.users().upsert(K8S, user("uc", null));
        assertThat(List.of(a.uid(), b.uid(), c.uid())).containsExactly(10000, 10001, 10002);
        assertThatThrownBy(() -> registry.users().upsert(K8S, user("ud", null)))
                .isInstanceOf(AllocationException.class).hasMessage("no free uid in 10000-10002");
        assertThatThrownBy(() -> registry.users().upsert(TF, user("ue", 10001)))
                .isInstanceOf(AllocationException.class).hasMessage("uid 10001 is held by user 'ub'");
        // an explicit uid outside the allocation range is fine if free
        assertThat(registry.users().upsert(TF, user("uf", 5000)).uid()).isEqualTo(5000);
        registry.users().delete(K8S, b.id());
        assertThat(registry.users().upsert(K8S, user("ud", null)).uid()).isEqualTo(10001);
        // re-applying without a uid keeps the allocated one
        assertThat(registry.users().upsert(K8S, user("ua", null)).uid()).isEqualTo(10000);

        Group g1 = registry.groups().upsert(K8S, new GroupSpec("g1", null, false));
        Group g2 = registry.groups().upsert(K8S, new GroupSpec("g2", null, false));
        assertThat(List.of(g1.gid(), g2.gid())).containsExactly(20000, 20001);
        assertThatThrownBy(() -> registry.groups().upsert(K8S, new GroupSpec("g3", null, false)))
                .hasMessage("no free gid in 20000-20001");
        assertThatThrownBy(() -> registry.groups().upsert(K8S, new GroupSpec("g3", 20000, false)))
                .hasMessage("gid 20000 is held by group 'g1'");
        registry.groups().delete(K8S, g1.id());
        assertThat(registry.groups().upsert(K8S, new GroupSpec("g3", null, false)).gid()).isEqualTo(20000);
    }

    @Test
    void uidsAndPrivateGidsNeverMeetAGroupsGid() {
        // separate ranges that overlap: 30000-30009 for both, as with the defaults
        TestDatabase db = TestDatabase.create();
        try (Registry r = Registry.open(db.config().withRanges(
                new AllocationRanges(30000, 30009, 30000, 30009, 100, 999_999_999, MacAddresses.DEFAULT_PREFIX)))) {
            Group g = r.groups().upsert(K8S, new GroupSpec("ct-104-users", null, false));
            User dave = r.users().upsert(K8S, user("dave", null));
            assertThat(g.gid()).isEqualTo(30000);
            assertThat(dave.uid()).isEqualTo(30001);
            assertThat(dave.privateGid()).isEqualTo(30001);
            assertThat(r.groups().upsert(K8S, new GroupSpec("next", null, false)).gid()).isEqualTo(30002);
            // an explicit uid equal to a group's gid: the private group takes the lowest free gid
            User erin = r.users().upsert(K8S, user("erin", 30000));
            assertThat(erin.uid()).isEqualTo(30000);
            assertThat(erin.privateGid()).isEqualTo(30003);
            assertThatThrownBy(() -> r.groups().upsert(K8S, new GroupSpec("g", 30003, false)))
                    .isInstanceOf(AllocationException.class).hasMessage("gid 30003 is held by the private group of user 'erin'");
            // the database refuses it from any writer, too
            assertThatThrownBy(() -> r.db().write(c -> Db.update(c,
                    "insert into groups (managed_by, name, gid) values (?, 'raw', 30001)", K8S)))
                    .isInstanceOf(ConstraintViolationException.class).hasMessageContaining("gids_unique");
            assertThatThrownBy(() -> r.db().write(c -> Db.update(c,
                    "insert into users (managed_by, username, uid, private_gid) values (?, 'raw', 30008, 30002)", K8S)))
                    .isInstanceOf(ConstraintViolationException.class).hasMessageContaining("gids_unique");
            // re-applying keeps the numbers
            assertThat(r.users().upsert(K8S, user("erin", 30000)).privateGid()).isEqualTo(30003);
        } finally {
            db.close();
        }
    }

    private static UserSpec user(String name, Integer uid) {
        return new UserSpec(name, uid, null, null, null, null, null, null, null, null);
    }
}
