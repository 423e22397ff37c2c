package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.SiteSpec;
import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.TlsTrust;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.proxmox.model.LxcConfigUpdate;
import io.proxplane.core.proxmox.model.LxcCreateRequest;
import io.proxplane.core.proxmox.model.RootFs;
import io.proxplane.core.proxmox.model.TaskQuery;
import io.proxplane.core.proxmox.model.TaskSummary;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.TestDatabase;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.proxplane.core.engine.EngineFixture.K8S;
import static io.proxplane.core.engine.EngineFixture.NODES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Several sites and several registries on ONE Proxmox cluster: nobody stops, destroys or adopts a
 * guest another site or registry made, vmids never collide, and the simulator's task history
 * proves it (the engine recreating what it destroyed would hide the damage from a state check).
 */
class SharedClusterTest {
    private static final String TEMPLATE = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";
    private static final Set<String> DESTRUCTIVE = Set.of("vzstop", "vzshutdown", "vzdestroy");

    private PveSimulator sim;
    private ProxmoxClient admin;
    private final List<TestDatabase> dbs = new ArrayList<>();
    private final List<Engine> engines = new ArrayList<>();
    private final Map<String, PveSimulator> sims = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void up() {
        sim = PveSimulatorExtension.testDefaults().nodes(NODES.toArray(String[]::new)).build().start();
        admin = EngineFixture.client(sim);
        trust(sim);
    }

    private PveSimulator trust(PveSimulator s) {
        sims.put(io.proxplane.core.registry.ProxmoxEndpoint.clusterKey(s.baseUrl()), s);
        return s;
    }

    @AfterEach
    void down() {
        engines.forEach(Engine::close);
        dbs.forEach(TestDatabase::close);
        admin.close();
        sim.close();
    }

    private Engine newRegistry() {
        return newRegistry(Duration.ofSeconds(20));
    }

    private Engine newRegistry(Duration taskTimeout) {
        TestDatabase db = TestDatabase.create();
        dbs.add(db);
        // every simulator of the test is trusted by its own certificate
        CredentialsResolver resolver = endpoint -> new ProxmoxCredentials(PveSimulatorExtension.DEFAULT_TOKEN_ID,
                PveSimulatorExtension.DEFAULT_TOKEN_SECRET, TlsTrust.pinnedSha256(sims.get(
                        io.proxplane.core.registry.ProxmoxEndpoint.clusterKey(endpoint.url())).certificateFingerprintSha256()));
        Engine e = Engine.builder(db.config(), resolver)
                .settings(EngineSettings.defaults().withTaskTimeout(taskTimeout).withBackoff(3, Duration.ofMillis(20)))
                .passwordHasher(new PasswordHasher(1024, 1))
                .taskPolling(Duration.ofMillis(10), Duration.ofMillis(50))
                .build();
        engines.add(e);
        return e;
    }

    static SiteSpec site(String name, String cidrPrefix, String bridge, String endpointUrl) {
        return new SiteSpec(name, name + ".internal", cidrPrefix + ".0/24", cidrPrefix + ".1", null, null,
                List.of(), bridge, List.of(new SiteSpec.ProxmoxEndpointSpec(endpointUrl, null, "secret/pve")),
                SiteSpec.PlacementPolicy.LEAST_LOADED, Map.of());
    }

    private static ContainerSpec container(String site, String name) {
        return ContainerSpec.builder(site, name, TEMPLATE).cores(1).memoryMb(256).swapMb(0).diskGb(1).build();
    }

    /** Every stop, shutdown and destroy task the simulator ran, as vmid -> count. */
    private Map<Integer, Integer> destructiveTasks() {
        Map<Integer, Integer> out = new HashMap<>();
        for (String node : NODES) {
            for (TaskSummary t : admin.tasks().list(node, new TaskQuery(null, null, "all", null, 0, 100_000))) {
                if (DESTRUCTIVE.contains(t.type())) out.merge(Integer.parseInt(t.id()), 1, Integer::sum);
            }
        }
        return out;
    }

    private Map<Integer, ClusterResource> guests() {
        return admin.cluster().resources().stream().filter(r -> "lxc".equals(r.type()))
                .collect(Collectors.toMap(ClusterResource::vmid, r -> r));
    }

    private static long siteId(Engine e, String site) {
        return e.registry().sites().findByName(site).orElseThrow().id();
    }

    private static Container row(Engine e, String site, String name) {
        return e.registry().containers().findByName(siteId(e, site), name).orElseThrow();
    }

    /** The vmids of every container row, checked against the cluster: each row's guest exists and carries its tag. */
    private List<Integer> assertRowsHaveTheirGuests(Engine e, String site, String... names) {
        Map<Integer, ClusterResource> guests = guests();
        List<Integer> vmids = new ArrayList<>();
        for (String n : names) {
            Container c = row(e, site, n);
            ClusterResource g = guests.get(c.vmid());
            assertThat(g).as("guest of " + site + "/" + n + " at vmid " + c.vmid()).isNotNull();
            assertThat(g.tags()).as(site + "/" + n).contains("proxplane",
                    new OwnerTag(e.registry().identity(), c.siteId(), c.id()).render());
            vmids.add(c.vmid());
        }
        return vmids;
    }

    private void createByHand(int vmid, String node, List<String> tags) {
        LxcCreateRequest.Builder b = LxcCreateRequest.builder(vmid, TEMPLATE).rootfs(RootFs.allocate("local-lvm", 1));
        if (!tags.isEmpty()) b.tags(tags);
        admin.tasks().await(admin.lxc().create(node, b.build()), Duration.ofSeconds(30));
    }

    @Test
    void registryIdentityIsCreatedOnceAndKeptAcrossRestarts() {
        Engine e = newRegistry();
        String id = e.registry().identity();
        assertThat(id).matches("[0-9a-f]{12}");
        try (var again = io.proxplane.core.registry.Registry.open(dbs.get(0).config())) {
            assertThat(again.identity()).isEqualTo(id);
        }
        assertThat(newRegistry().registry().identity()).as("another database, another registry").isNotEqualTo(id);
    }

    @Test
    void twoSitesOfOneRegistryNeverTouchEachOther() {
        Engine e = newRegistry();
        e.sites().apply(K8S, site("east", "10.20.0", "vmbr0", sim.baseUrl()));
        e.sites().apply(K8S, site("west", "10.30.0", "vmbr0", sim.baseUrl()));
        List<String> sites = List.of("east", "west");

        e.containers().apply(K8S, container("east", "e1"));
        e.containers().apply(K8S, container("east", "e2"));
        for (String s : sites) e.resync(s);
        e.containers().apply(K8S, container("west", "w1"));
        e.containers().apply(K8S, container("west", "w2"));
        for (int round = 0; round < 3; round++) {
            for (String s : sites) {
                SiteObservation o = e.resync(s);
                assertThat(o.orphanVmids()).as(s + " round " + round).isEmpty();
            }
        }
        e.containers().apply(K8S, container("east", "e3"));
        int w2 = row(e, "west", "w2").vmid();
        e.containers().delete(K8S, "west", "w2");
        for (String s : sites) e.resync(s);
        for (String s : sites) e.resync(s);

        // The only destructive tasks: the stop and destroy of the container deleted through the engine.
        Map<Integer, Integer> destructive = destructiveTasks();
        assertThat(destructive.keySet()).as("stop/destroy tasks by vmid: " + destructive).containsOnly(w2);
        List<Integer> vmids = new ArrayList<>(assertRowsHaveTheirGuests(e, "east", "e1", "e2", "e3"));
        vmids.addAll(assertRowsHaveTheirGuests(e, "west", "w1"));
        assertThat(new HashSet<>(vmids)).hasSize(4);
        // each site reports the other's containers as foreign and converges
        SiteObservation east = e.observeSite("east");
        assertThat(east.converged()).as(east.toString()).isTrue();
        assertThat(east.foreign()).extracting(SiteObservation.ForeignGuest::vmid).contains(row(e, "west", "w1").vmid());
        assertThat(east.foreign()).filteredOn(f -> f.vmid() == row(e, "west", "w1").vmid())
                .extracting(SiteObservation.ForeignGuest::reason).singleElement().asString().contains("site");
    }

    @Test
    void vmidsAreReservedPerClusterNotPerSite() {
        Engine e = newRegistry();
        e.sites().apply(K8S, site("east", "10.20.0", "vmbr0", sim.baseUrl()));
        e.sites().apply(K8S, site("west", "10.30.0", "vmbr0", sim.baseUrl()));
        // east's create fails after its vmid was reserved: the vmid is held by the row, unseen by Proxmox
        sim.faults().failNext("POST", "/nodes/[^/]+/lxc", 1, 500, "storage 'local-lvm' is full");
        assertThatThrownBy(() -> e.containers().apply(K8S, container("east", "e1")))
                .isInstanceOfSatisfying(EngineException.class, ex -> assertThat(ex.kind()).isEqualTo(EngineException.Kind.PROXMOX_ERROR));
        int held = row(e, "east", "e1").vmid();

        ContainerStatus w1 = e.containers().apply(K8S, container("west", "w1")).status();
        assertThat(w1.vmid()).as("west must not take the vmid east holds on the same cluster").isNotEqualTo(held);
        ContainerResult e1 = e.containers().apply(K8S, container("east", "e1"));
        assertThat(e1.status().state()).isEqualTo("running");
        assertThat(e1.status().vmid()).isEqualTo(held);
        assertThat(e1.actions()).extracting(Action::verb).doesNotContain("re-reserve");
        assertThat(destructiveTasks()).isEmpty();
    }

    @Test
    void twoRegistriesOnOneClusterNeverTouchEachOther() {
        Engine staging = newRegistry();
        Engine production = newRegistry();
        // same site name and even the same network: the registries do not know each other
        staging.sites().apply(K8S, site("lab", "10.20.0", "vmbr0", sim.baseUrl()));
        production.sites().apply(K8S, site("lab", "10.20.0", "vmbr0", sim.baseUrl()));

        staging.containers().apply(K8S, container("lab", "a1"));
        staging.containers().apply(K8S, container("lab", "a2"));
        staging.resync("lab");
        production.resync("lab");
        production.containers().apply(K8S, container("lab", "b1"));
        production.containers().apply(K8S, container("lab", "b2"));
        for (int round = 0; round < 3; round++) {
            staging.resync("lab");
            production.resync("lab");
        }
        staging.containers().apply(K8S, container("lab", "a3"));
        production.resync("lab");
        staging.resync("lab");

        assertThat(destructiveTasks()).as("no registry may stop or destroy anything here").isEmpty();
        List<Integer> vmids = new ArrayList<>(assertRowsHaveTheirGuests(staging, "lab", "a1", "a2", "a3"));
        List<Integer> prod = assertRowsHaveTheirGuests(production, "lab", "b1", "b2");
        vmids.addAll(prod);
        assertThat(new HashSet<>(vmids)).hasSize(5);
        SiteObservation seen = staging.observeSite("lab");
        assertThat(seen.converged()).as(seen.toString()).isTrue();
        assertThat(seen.orphanVmids()).isEmpty();
        assertThat(seen.foreign()).filteredOn(f -> prod.contains(f.vmid())).hasSize(2)
                .allSatisfy(f -> assertThat(f.reason()).contains("another proxplane registry"));
    }

    @Test
    void aProxmoxPoolOfAnotherRegistryIsRefusedAndItsUsersAndGroupsAreNeverRemoved() {
        Engine staging = newRegistry();
        Engine production = newRegistry();
        staging.sites().apply(K8S, site("lab", "10.20.0", "vmbr0", sim.baseUrl()));
        production.sites().apply(K8S, site("lab", "10.20.0", "vmbr0", sim.baseUrl()));
        var grantTo = List.of(new io.proxplane.core.engine.spec.PoolSpec.AclGrant("ops", null, "PVEVMUser"));
        staging.pools().apply(K8S, new io.proxplane.core.engine.spec.PoolSpec("web", null, grantTo));

        // Proxmox pools are per cluster: a second registry managing "web" would rewrite its members
        // and grants, and its delete would remove staging's pool
        assertThatThrownBy(() -> production.pools().apply(K8S, new io.proxplane.core.engine.spec.PoolSpec("web", null, grantTo)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.CONFLICT);
                    assertThat(e.getMessage()).contains("another proxplane registry", staging.registry().identity());
                });
        assertThat(admin.pools().list()).anyMatch(p -> p.poolid().equals("web"));

        // a group staging made is used by production's pool, never removed by production
        production.pools().apply(K8S, new io.proxplane.core.engine.spec.PoolSpec("api", null, grantTo));
        production.pools().delete(K8S, "api");
        assertThat(admin.groups().list()).anyMatch(g -> g.groupid().equals("ops"));
        assertThat(admin.acl().list()).anyMatch(a -> a.path().equals("/pool/web") && a.ugid().equals("ops"));

        staging.pools().delete(K8S, "web");
        SimulatorAssertions.holdsNothingMadeByProxplane(admin);
    }

    @Test
    void untaggedAndOtherRegistrysGuestsSurviveResyncAndAreReportedForeign() {
        Engine e = newRegistry();
        e.sites().apply(K8S, site("lab", "10.20.0", "vmbr0", sim.baseUrl()));
        long siteId = siteId(e, "lab");
        e.containers().apply(K8S, container("lab", "mine"));
        long mineId = row(e, "lab", "mine").id();
        createByHand(900, "pve1", List.of());
        // another registry's guest whose site and container ids equal ours: only the registry id differs
        createByHand(901, "pve2", List.of("proxplane", new OwnerTag("0123456789ab", siteId, mineId).render()));
        // proxplane-tagged, this registry's id, but a malformed rest: not provably ours
        createByHand(902, "pve3", List.of("proxplane", "pp-" + e.registry().identity() + "-x"));

        for (int i = 0; i < 3; i++) e.resync("lab");

        assertThat(guests().keySet()).contains(900, 901, 902);
        assertThat(destructiveTasks()).isEmpty();
        SiteObservation o = e.observeSite("lab");
        assertThat(o.orphanVmids()).isEmpty();
        assertThat(o.converged()).as(o.toString()).isTrue();
        Map<Integer, String> reasons = o.foreign().stream()
                .collect(Collectors.toMap(SiteObservation.ForeignGuest::vmid, SiteObservation.ForeignGuest::reason));
        assertThat(reasons.get(900)).contains("not tagged by proxplane");
        assertThat(reasons.get(901)).contains("another proxplane registry", "0123456789ab");
        assertThat(reasons.get(902)).isNotNull();
    }

    @Test
    void orphansOfThisRegistryAndSiteAreStillDestroyed() {
        Engine e = newRegistry();
        e.sites().apply(K8S, site("lab", "10.20.0", "vmbr0", sim.baseUrl()));
        long siteId = siteId(e, "lab");
        createByHand(950, "pve1", List.of("proxplane", new OwnerTag(e.registry().identity(), siteId, 999_999).render()));
        assertThat(e.observeSite("lab").orphanVmids()).containsExactly(950);
        e.resync("lab");
        assertThat(guests()).doesNotContainKey(950);
    }

    @Test
    void legacyTaggedGuestsAreRetaggedNotPurged() {
        Engine e = newRegistry();
        e.sites().apply(K8S, site("lab", "10.20.0", "vmbr0", sim.baseUrl()));
        ContainerStatus old = e.containers().apply(K8S, container("lab", "old")).status();
        ContainerStatus older = e.containers().apply(K8S, container("lab", "older")).status();
        // what the previous version of proxplane wrote: proxplane;pp-<row id>, plus a tag an admin added
        for (ContainerStatus s : List.of(old, older)) {
            admin.lxc().updateConfig(s.node(), s.vmid(), LxcConfigUpdate.builder()
                    .tags(List.of("proxplane", "pp-" + s.id(), "team-x")).build());
        }
        // a legacy copy whose row holds another vmid: a legacy tag alone never justifies a purge
        createByHand(960, "pve2", List.of("proxplane", "pp-" + old.id()));
        // a legacy tag naming a row that does not exist
        createByHand(961, "pve3", List.of("proxplane", "pp-424242"));

        // apply proves and re-tags the guest of the container it converges, then adopts it
        ContainerResult applied = e.containers().apply(K8S, container("lab", "older"));
        assertThat(applied.actions()).extracting(a -> a.verb() + " " + a.target()).contains("retag lxc/" + older.vmid());
        assertThat(applied.actions()).extracting(Action::verb).doesNotContain("create-lxc", "re-reserve");
        // resync does it for the others
        SiteObservation fixed = e.resync("lab");
        assertThat(fixed.actions()).extracting(a -> a.verb() + " " + a.target()).contains("retag lxc/" + old.vmid())
                .doesNotContain("retag lxc/" + older.vmid());
        assertThat(fixed.actions()).extracting(Action::verb).doesNotContain("create-lxc", "re-reserve", "destroy-lxc");

        for (ContainerStatus s : List.of(old, older)) {
            List<String> tags = admin.lxc().config(s.node(), s.vmid()).tags();
            assertThat(tags).as("tags of " + s.name()).contains("proxplane", "team-x",
                    new OwnerTag(e.registry().identity(), siteId(e, "lab"), s.id()).render()).doesNotContain("pp-" + s.id());
        }
        assertThat(guests().keySet()).contains(960, 961);
        assertThat(destructiveTasks()).isEmpty();
        SiteObservation o = e.observeSite("lab");
        assertThat(o.converged()).as(o.toString()).isTrue();
        assertThat(o.foreign()).extracting(SiteObservation.ForeignGuest::vmid).contains(960, 961);
    }

    @Test
    void legacyTagIsNotProofWhenTheGuestIsNotTheOneTheRowDescribes() {
        // Two registries of the previous version both numbered their rows from 1: registry B's row 1 may
        // hold the vmid where registry A's guest tagged pp-1 lives (B's create failed with "already exists").
        Engine a = newRegistry();
        Engine b = newRegistry();
        a.sites().apply(K8S, site("lab", "10.20.0", "vmbr0", sim.baseUrl()));
        b.sites().apply(K8S, site("lab", "10.30.0", "vmbr0", sim.baseUrl()));
        ContainerStatus mine = a.containers().apply(K8S, container("lab", "one")).status();
        admin.lxc().updateConfig(mine.node(), mine.vmid(), LxcConfigUpdate.builder().tags(List.of("proxplane", "pp-" + mine.id())).build());
        sim.faults().failNext("POST", "/nodes/[^/]+/lxc", 1, 500, "storage 'local-lvm' is full");
        assertThatThrownBy(() -> b.containers().apply(K8S, container("lab", "one")));
        Container bRow = row(b, "lab", "one");
        assertThat(bRow.id()).isEqualTo(mine.id());
        // B's row now names A's vmid, as a collision under the old per-site vmids would have left it
        try (var c = dbs.get(1).connect(); var st = c.prepareStatement("update containers set vmid = ? where id = ?")) {
            st.setInt(1, mine.vmid());
            st.setLong(2, bRow.id());
            st.executeUpdate();
        } catch (java.sql.SQLException ex) {
            throw new IllegalStateException(ex);
        }
        b.resync("lab");
        ContainerResult again = b.containers().apply(K8S, container("lab", "one"));
        assertThat(again.status().vmid()).isNotEqualTo(mine.vmid());
        assertThat(admin.lxc().config(mine.node(), mine.vmid()).tags()).as("A's guest is not B's to retag")
                .doesNotContain(new OwnerTag(b.registry().identity(), bRow.siteId(), bRow.id()).render());
        assertThat(destructiveTasks()).isEmpty();
        // A still proves it and re-tags it
        a.resync("lab");
        assertThat(admin.lxc().config(mine.node(), mine.vmid()).tags())
                .contains(new OwnerTag(a.registry().identity(), siteId(a, "lab"), mine.id()).render());
    }

    @Test
    void vmidCollisionAcrossRegistriesIsResolvedByReReserving() throws Exception {
        Engine a = newRegistry(Duration.ofMinutes(5));
        Engine b = newRegistry();
        a.sites().apply(K8S, site("lab", "10.20.0", "vmbr0", sim.baseUrl()));
        b.sites().apply(K8S, site("lab", "10.30.0", "vmbr0", sim.baseUrl()));
        // A's image pull hangs after A reserved its vmid and before its create: the window where another
        // registry, which cannot see A's rows, takes the same vmid.
        sim.faults().hangTask("ociregistrypull", null);
        ContainerSpec spec = ContainerSpec.builder("lab", "racer", "docker.io/library/redis:7.4").node("pve1")
                .cores(1).memoryMb(256).swapMb(0).diskGb(1).build();
        CompletableFuture<ContainerResult> racing = CompletableFuture.supplyAsync(() -> a.containers().apply(K8S, spec));
        Integer reserved = null;
        for (int i = 0; i < 6000 && reserved == null; i++) {
            var r = a.registry().containers().findByName(siteId(a, "lab"), "racer");
            boolean pulling = NODES.stream().flatMap(n -> admin.tasks().list(n, TaskQuery.all()).stream())
                    .anyMatch(t -> t.type().equals("ociregistrypull") && t.endTime() == null);
            if (r.isPresent() && r.get().vmid() != null && pulling) reserved = r.get().vmid();
            else Thread.sleep(20);
        }
        assertThat(reserved).as("A reserved a vmid and is pulling its image").isNotNull();
        ContainerStatus theirs = b.containers().apply(K8S, container("lab", "theirs")).status();
        assertThat(theirs.vmid()).as("B cannot see A's reservation").isEqualTo(reserved);

        sim.faults().clear(); // the pull finishes; A's create meets B's guest at the same vmid
        ContainerResult result = racing.get(5, TimeUnit.MINUTES);
        assertThat(result.status().state()).isEqualTo("running");
        assertThat(result.status().vmid()).isNotEqualTo(reserved);
        assertThat(result.actions()).extracting(Action::verb).contains("re-reserve", "create-lxc");
        assertThat(guests().get(reserved).tags()).contains(new OwnerTag(b.registry().identity(), siteId(b, "lab"),
                row(b, "lab", "theirs").id()).render());
        a.resync("lab");
        b.resync("lab");
        assertThat(destructiveTasks()).isEmpty();
        assertRowsHaveTheirGuests(a, "lab", "racer");
        assertRowsHaveTheirGuests(b, "lab", "theirs");
    }

    @Test
    void overlappingSiteOnTheSameClusterAndBridgeIsRefused() {
        Engine e = newRegistry();
        e.sites().apply(K8S, site("east", "10.20.0", "vmbr0", sim.baseUrl()));
        SiteSpec overlapping = new SiteSpec("east2", "east2.internal", "10.20.0.128/25", "10.20.0.129", null, null,
                List.of(), "vmbr0", List.of(new SiteSpec.ProxmoxEndpointSpec(sim.baseUrl() + "/", null, "secret/other")),
                SiteSpec.PlacementPolicy.LEAST_LOADED, Map.of());
        assertThatThrownBy(() -> e.sites().apply(K8S, overlapping))
                .isInstanceOfSatisfying(EngineException.class, ex -> {
                    assertThat(ex.kind()).isEqualTo(EngineException.Kind.CONFLICT);
                    assertThat(ex.getMessage()).contains("east", "10.20.0.0/24", "10.20.0.128/25", "vmbr0");
                });
        assertThat(e.registry().sites().findByName("east2")).isEmpty();
        // same network on another bridge, or on another cluster: allowed
        e.sites().apply(K8S, site("east-b", "10.20.0", "vmbr1", sim.baseUrl()));
        try (PveSimulator other = trust(PveSimulatorExtension.testDefaults().nodes("pve9").build().start())) {
            e.sites().apply(K8S, site("east-c", "10.20.0", "vmbr0", other.baseUrl()));
        }
        // re-applying a site never conflicts with itself
        assertThat(e.sites().apply(K8S, site("east", "10.20.0", "vmbr0", sim.baseUrl())).actions()).isEmpty();
        // changing the bridge of east-b onto east's bridge is refused too
        assertThatThrownBy(() -> e.sites().apply(K8S, site("east-b", "10.20.0", "vmbr0", sim.baseUrl())))
                .isInstanceOfSatisfying(EngineException.class, ex -> assertThat(ex.kind()).isEqualTo(EngineException.Kind.CONFLICT));
    }
}
