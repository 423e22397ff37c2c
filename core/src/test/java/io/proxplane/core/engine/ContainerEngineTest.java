package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.ContainerSpec.PowerState;
import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.engine.spec.UserSpec;
import io.proxplane.core.proxmox.model.LxcConfig;
import io.proxplane.core.proxmox.model.NetworkInterface;
import io.proxplane.core.registry.Container;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.proxplane.core.engine.EngineFixture.K8S;
import static io.proxplane.core.engine.EngineFixture.SITE;
import static io.proxplane.core.engine.EngineFixture.TF;
import static io.proxplane.core.engine.EngineFixture.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContainerEngineTest {
    static EngineFixture f;

    @BeforeAll
    static void up() {
        f = new EngineFixture();
        f.site();
    }

    @AfterAll
    static void down() {
        f.close();
    }

    private LxcConfig config(ContainerStatus s) {
        return f.admin.lxc().config(s.node(), s.vmid());
    }

    @Test
    void lifeCycleCreateUpdateStopDelete() {
        f.engine.pools().apply(K8S, new PoolSpec("web", null, List.of()));
        // the owner must be a User of the registry
        f.engine.users().apply(K8S, new UserSpec("alice", "Alice", "A", "alice@example.com", null, List.of(), null, null, null, List.of()));
        ContainerSpec spec = container("web1").image("docker.io/library/httpd:2.4").owner("alice").pool("web").env(Map.of("MODE", "prod"))
                .features(new ContainerSpec.Features(true, false, false)).build();
        ContainerResult r = f.engine.containers().apply(K8S, spec);

        ContainerStatus s = r.status();
        assertThat(s.state()).isEqualTo("running");
        assertThat(s.vmid()).isNotNull();
        assertThat(s.ipv4()).startsWith("10.20.0.");
        assertThat(s.fqdn()).isEqualTo("web1.lab.internal");
        assertThat(r.actions()).extracting(Action::verb).contains("register", "reserve", "pull-image", "create-lxc", "grant");
        LxcConfig cfg = config(s);
        NetworkInterface net0 = cfg.net(0).orElseThrow();
        assertThat(net0.hwaddr()).isEqualToIgnoringCase(s.mac());
        assertThat(net0.ip()).isEqualTo(s.ipv4() + "/24");
        assertThat(net0.gw()).isEqualTo("10.20.0.1");
        assertThat(cfg.tags()).contains("proxplane", tag(s.id()));
        assertThat(cfg.searchdomain()).contains("lab.internal");
        assertThat(cfg.env()).containsEntry("MODE", "prod");
        assertThat(cfg.features().nesting()).isTrue();
        assertThat(f.admin.pools().get("web").members()).extracting(m -> m.vmid()).contains(s.vmid());
        assertThat(f.admin.acl().list()).anyMatch(e -> e.path().equals("/vms/" + s.vmid()) && e.ugid().equals("alice@pve"));

        // converged: applying again changes nothing
        ContainerResult again = f.engine.containers().apply(K8S, spec);
        assertThat(again.actions()).isEmpty();
        assertThat(again.status().vmid()).isEqualTo(s.vmid());

        // in-place update: cores, memory, env, disk growth; image change needs a replacement
        ContainerSpec bigger = spec.toBuilder().cores(2).memoryMb(512).diskGb(3).env(Map.of("MODE", "dev"))
                .image("docker.io/library/nginx:1.28").build();
        ContainerResult up = f.engine.containers().apply(K8S, bigger);
        assertThat(up.replacementRequired()).containsExactly("image");
        assertThat(up.actions()).extracting(Action::verb).contains("update-config", "resize");
        LxcConfig after = config(s);
        assertThat(after.cores()).hasValue(2);
        assertThat(after.memory()).hasValue(512);
        assertThat(after.rootfs().orElseThrow().size()).isEqualTo("3G");
        assertThat(f.engine.containers().apply(K8S, bigger).actions()).isEmpty();

        // stop
        ContainerResult stopped = f.engine.containers().apply(K8S, bigger.toBuilder().powerState(PowerState.STOPPED).build());
        assertThat(stopped.status().state()).isEqualTo("stopped");
        assertThat(f.admin.lxc().status(s.node(), s.vmid()).status()).isEqualTo("stopped");

        // delete, twice
        ContainerResult del = f.engine.containers().delete(K8S, SITE, "web1");
        assertThat(del.actions()).extracting(Action::verb).contains("destroy-lxc", "unregister");
        assertThat(f.admin.cluster().resources()).noneMatch(g -> s.vmid().equals(g.vmid()));
        assertThat(f.engine.registry().containers().findByName(siteId(), "web1")).isEmpty();
        assertThat(f.engine.containers().delete(K8S, SITE, "web1").actions()).isEmpty();
    }

    @Test
    void aDestroyProxmoxLeavesLockedDestroyedIsFinishedAndTheNameCanBeUsedAgain() {
        // Proxmox's destroy removes the volumes, replaces the config by "lock: destroyed" and then
        // removes ACLs, firewall and purge entries; a failure there leaves that empty, locked config
        // holding the vmid, which only `pct unlock` on the node clears (no API call can).
        f.engine.pools().apply(K8S, new PoolSpec("graveyard", null, List.of()));
        f.engine.users().apply(K8S, new UserSpec("zed", "Zed", "Z", "zed@example.com", null, List.of(), null, null, null, List.of()));
        ContainerStatus s = f.engine.containers().apply(K8S, container("zombie").owner("zed").pool("graveyard").build()).status();
        f.sim.faults().failTask("vzdestroy", s.vmid(), "unable to remove firewall configuration");
        ContainerResult del = f.engine.containers().delete(K8S, SITE, "zombie");
        f.sim.faults().clear();
        // what Proxmox's destroy does after the config is replaced, the engine finishes: no grant and no
        // pool membership stay behind, so the pool (and the owner's user) can go
        assertThat(f.admin.acl().list()).noneMatch(e -> e.path().equals("/vms/" + s.vmid()));
        assertThat(f.admin.pools().get("graveyard").members()).noneMatch(m -> s.vmid().equals(m.vmid()));
        f.engine.pools().delete(K8S, "graveyard");
        f.engine.users().delete(K8S, "zed");

        assertThat(del.status().state()).isEqualTo("deleted");
        assertThat(del.actions()).anySatisfy(a -> {
            assertThat(a.verb()).isEqualTo("destroy-lxc");
            assertThat(a.detail()).contains("locked 'destroyed'", "pct unlock " + s.vmid());
        });
        assertThat(f.engine.registry().containers().findByName(siteId(), "zombie")).isEmpty();
        assertThat(f.admin.lxc().config(s.node(), s.vmid()).lock()).contains("destroyed");

        // the name is free again; the leftover keeps its vmid and is never touched
        ContainerStatus again = f.engine.containers().apply(K8S, container("zombie").build()).status();
        assertThat(again.state()).isEqualTo("running");
        assertThat(again.vmid()).isNotEqualTo(s.vmid());
        assertThat(f.admin.lxc().config(s.node(), s.vmid()).lock()).contains("destroyed");
        f.engine.containers().delete(K8S, SITE, "zombie");
    }

    @Test
    void imageIsPulledOncePerNodeAndStorage() {
        ContainerResult a = f.engine.containers().apply(K8S, container("img-a").image("docker.io/library/redis:7").node("pve2").build());
        ContainerResult b = f.engine.containers().apply(K8S, container("img-b").image("docker.io/library/redis:7").node("pve2").build());
        assertThat(a.actions()).extracting(Action::verb).contains("pull-image");
        assertThat(b.actions()).extracting(Action::verb).doesNotContain("pull-image");
        // a fresh engine (another process) finds the archive in the storage instead of pulling again
        try (Engine other = EngineFixture.engine(f.db, f.sim)) {
            ContainerResult c = other.containers().apply(K8S, container("img-c").image("docker.io/library/redis:7").node("pve2").build());
            assertThat(c.actions()).extracting(Action::verb).doesNotContain("pull-image");
        }
        for (String n : List.of("img-a", "img-b", "img-c")) f.engine.containers().delete(K8S, SITE, n);
    }

    @Test
    void placementSpreadsOverNodesAndHonoursGpu() {
        var nodes = new java.util.HashSet<String>();
        for (int i = 0; i < 3; i++) {
            nodes.add(f.engine.containers().apply(K8S, container("spread" + i).build()).status().node());
        }
        assertThat(nodes).hasSize(3);
        ContainerResult gpu = f.engine.containers().apply(K8S, container("gpu1").gpu(true).build());
        assertThat(gpu.status().node()).isEqualTo("pve3");
        assertThatThrownBy(() -> f.engine.containers().apply(K8S, container("gpu2").gpu(true).node("pve1").build()))
                .isInstanceOf(EngineException.class).hasMessageContaining("has no GPU");
        for (String n : List.of("spread0", "spread1", "spread2", "gpu1")) f.engine.containers().delete(K8S, SITE, n);
    }

    @Test
    void quotaIsRefusedWithTheNumbersBeforeAnyProxmoxCall() {
        f.engine.pools().apply(K8S, new PoolSpec("small", new PoolSpec.Quotas(5, 2, null, null), List.of()));
        f.engine.containers().apply(K8S, container("q1").pool("small").cores(1).build());
        long before = f.requests();
        assertThatThrownBy(() -> f.engine.containers().apply(K8S, container("q2").pool("small").cores(2).build()))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.QUOTA);
                    assertThat(e.getMessage()).contains("maxCores is 2", "1 in use", "2 requested", "= 3");
                });
        assertThat(f.requests()).isEqualTo(before);
        assertThat(f.engine.registry().containers().findByName(siteId(), "q2")).isEmpty();
        f.engine.containers().delete(K8S, SITE, "q1");
    }

    @Test
    void aPoolChangeMovesTheGuestInProxmox() {
        f.engine.pools().apply(K8S, new PoolSpec("blue", null, List.of()));
        f.engine.pools().apply(K8S, new PoolSpec("green", null, List.of()));
        int vmid = f.engine.containers().apply(K8S, container("mover").pool("blue").build()).status().vmid();
        assertThat(members("blue")).containsExactly(vmid);

        ContainerResult moved = f.engine.containers().apply(K8S, container("mover").pool("green").build());
        assertThat(moved.actions()).extracting(Action::verb).contains("move-pool");
        assertThat(members("blue")).isEmpty();
        assertThat(members("green")).containsExactly(vmid);

        // a move whose Proxmox request fails after the spec was stored is made by the next apply of that spec
        f.sim.faults().failNext("PUT", "/pools.*", 1, 500, "pool update failed");
        assertThatThrownBy(() -> f.engine.containers().apply(K8S, container("mover").pool("blue").build()))
                .isInstanceOf(EngineException.class);
        f.sim.faults().clear();
        assertThat(members("green")).containsExactly(vmid);
        assertThat(f.engine.containers().apply(K8S, container("mover").pool("blue").build()).actions())
                .extracting(Action::verb).contains("move-pool");
        assertThat(members("blue")).containsExactly(vmid);

        ContainerResult left = f.engine.containers().apply(K8S, container("mover").build());
        assertThat(left.actions()).extracting(Action::verb).contains("leave-pool");
        assertThat(members("blue")).isEmpty();
        assertThat(members("green")).isEmpty();
        // nothing to do the second time
        assertThat(f.engine.containers().apply(K8S, container("mover").build()).actions()).extracting(Action::verb)
                .doesNotContain("move-pool", "leave-pool");
        f.engine.containers().delete(K8S, SITE, "mover");
        f.engine.pools().delete(K8S, "blue");
        f.engine.pools().delete(K8S, "green");
    }

    private List<Integer> members(String pool) {
        return f.admin.pools().get(pool).members().stream().map(m -> m.vmid()).filter(java.util.Objects::nonNull).toList();
    }

    @Test
    void anotherFrontDoorIsRefused() {
        f.engine.containers().apply(K8S, container("owned").build());
        long before = f.requests();
        assertThatThrownBy(() -> f.engine.containers().apply(TF, container("owned").cores(4).build()))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.OWNERSHIP);
                    assertThat(e.getMessage()).contains("managed by " + K8S, TF);
                });
        assertThatThrownBy(() -> f.engine.containers().delete(TF, SITE, "owned"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.OWNERSHIP));
        assertThat(f.requests()).isEqualTo(before);
        f.engine.containers().delete(K8S, SITE, "owned");
    }

    @Test
    void adoptsTheContainerItCreatedBeforeACrash() {
        ContainerSpec spec = container("phoenix").build();
        // What a crashed engine left behind: the row, its reservation, the intent, and the LXC it made.
        Container row = f.engine.registry().containers().upsert(K8S, new io.proxplane.core.registry.ContainerSpec(
                siteId(), "phoenix", "phoenix", "pve1", spec.image(), new io.proxplane.core.registry.Resources(1, 256, 0, 2),
                null, null, "running"));
        var addr = f.engine.registry().allocators().reserveContainerAddresses(K8S, siteId(), row.id(),
                new java.util.HashSet<>(f.admin.cluster().resources().stream().filter(r -> r.vmid() != null).map(r -> r.vmid()).toList()));
        f.engine.registry().containers().recordIntent(K8S, row.id(), "create", null);
        var upid = f.admin.lxc().create("pve1", io.proxplane.core.proxmox.model.LxcCreateRequest
                .builder(addr.vmid(), "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst").hostname("phoenix")
                .cores(1).memory(256).swap(0).rootfs(io.proxplane.core.proxmox.model.RootFs.allocate("local-lvm", 2))
                .net(0, ContainerConverger.net0(addr, "vmbr0")).tags(ContainerConverger.tags(new OwnerTag(f.engine.registry().identity(), siteId(), row.id()), List.of())).start(true).build());
        // the engine restarts while the create task may still run
        ContainerResult r = f.engine.containers().apply(K8S, spec);
        f.admin.tasks().await(upid, java.time.Duration.ofMinutes(2));
        assertThat(r.actions()).extracting(Action::verb).contains("adopt").doesNotContain("create-lxc");
        assertThat(r.status().vmid()).isEqualTo(addr.vmid());
        assertThat(f.admin.cluster().resources().stream().filter(g -> g.tags().contains(tag(row.id())))).hasSize(1);
        assertThat(f.engine.registry().containers().get(row.id()).orElseThrow().intent()).isNull();
        f.engine.containers().delete(K8S, SITE, "phoenix");
    }

    @Test
    void bulkObserveUsesOneRequestAndResyncCorrectsDrift() {
        ContainerStatus a = f.engine.containers().apply(K8S, container("drift-a").build()).status();
        ContainerStatus b = f.engine.containers().apply(K8S, container("drift-b").build()).status();
        ContainerStatus c = f.engine.containers().apply(K8S, container("drift-c").build()).status();
        assertThat(f.engine.observeSite(SITE).converged()).isTrue();

        // foreign changes: stopped by hand, cores changed by hand, destroyed by hand
        f.admin.tasks().await(f.admin.lxc().stop(a.node(), a.vmid()), java.time.Duration.ofMinutes(2));
        f.admin.lxc().updateConfig(b.node(), b.vmid(), io.proxplane.core.proxmox.model.LxcConfigUpdate.builder().cores(3).build());
        f.admin.tasks().await(f.admin.lxc().stop(c.node(), c.vmid()), java.time.Duration.ofMinutes(2));
        f.admin.tasks().await(f.admin.lxc().destroy(c.node(), c.vmid(), io.proxplane.core.proxmox.model.DestroyOptions.defaults()),
                java.time.Duration.ofMinutes(2));

        long before = f.requests();
        SiteObservation seen = f.engine.observeSite(SITE);
        assertThat(f.requests() - before).isEqualTo(1);
        assertThat(seen.drift()).as(seen.toString()).extracting(d -> d.object() + ":" + d.field()).contains(
                "container lab/drift-a:state", "container lab/drift-b:cores", "container lab/drift-c:exists");

        SiteObservation fixed = f.engine.resync(SITE);
        assertThat(fixed.actions()).extracting(Action::verb).contains("start", "update-config", "create-lxc");
        assertThat(f.engine.observeSite(SITE).converged()).isTrue();
        assertThat(f.admin.lxc().config(b.node(), b.vmid()).cores()).hasValue(1);
        for (String n : List.of("drift-a", "drift-b", "drift-c")) f.engine.containers().delete(K8S, SITE, n);
    }

    @Test
    void resyncDestroysOrphansTaggedByThisRegistryAndSite() {
        int vmid = 4242;
        f.admin.tasks().await(f.admin.lxc().create("pve2", io.proxplane.core.proxmox.model.LxcCreateRequest
                .builder(vmid, "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst")
                .rootfs(io.proxplane.core.proxmox.model.RootFs.allocate("local-lvm", 1))
                .tags(List.of("proxplane", tag(999_999))).build()), java.time.Duration.ofMinutes(2));
        assertThat(f.engine.observeSite(SITE).orphanVmids()).contains(vmid);
        f.engine.resync(SITE);
        assertThat(f.admin.cluster().resources()).noneMatch(g -> Integer.valueOf(vmid).equals(g.vmid()));
    }

    @Test
    void aDuplicateHostNameIsAConflictWithoutSql() {
        f.engine.containers().apply(K8S, container("dup-a").hostname("shared").build());
        assertThatThrownBy(() -> f.engine.containers().apply(K8S, container("dup-b").hostname("shared").build()))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.CONFLICT);
                    assertThat(e.getMessage()).contains("host name 'shared'").contains("site");
                    EngineErrorsTest.noSql(e.getMessage());
                    EngineErrorsTest.noSql(e.userAction());
                });
        assertThat(f.engine.registry().containers().findByName(siteId(), "dup-b")).isEmpty();
        f.engine.containers().delete(K8S, SITE, "dup-a");
    }

    @Test
    void aGuestGoneFromProxmoxIsMissingOnObserveAndDeleteStillFinishes() {
        ContainerStatus s = f.engine.containers().apply(K8S, container("vanish").powerState(PowerState.STOPPED).build()).status();
        // destroyed by hand: the per-guest status read answers "does not exist"
        f.admin.tasks().await(f.admin.lxc().destroy(s.node(), s.vmid(), io.proxplane.core.proxmox.model.DestroyOptions.defaults()),
                java.time.Duration.ofMinutes(2));
        assertThat(f.engine.containers().observe(SITE, "vanish").state()).isEqualTo("missing");
        f.engine.containers().delete(K8S, SITE, "vanish");

        // gone between the bulk read and the destroy call: the delete still completes
        ContainerStatus t = f.engine.containers().apply(K8S, container("vanish2").powerState(PowerState.STOPPED).build()).status();
        f.sim.faults().failNext("DELETE", "/nodes/[^/]+/lxc/" + t.vmid(), 1, 500,
                "Configuration file 'nodes/" + t.node() + "/lxc/" + t.vmid() + ".conf' does not exist");
        ContainerResult gone = f.engine.containers().delete(K8S, SITE, "vanish2");
        assertThat(gone.actions()).extracting(Action::verb).contains("unregister").doesNotContain("destroy-lxc");
        assertThat(f.engine.registry().containers().findByName(siteId(), "vanish2")).isEmpty();
        // the injected answer left the guest in place: remove it so the site has no orphan
        f.admin.tasks().await(f.admin.lxc().destroy(t.node(), t.vmid(), io.proxplane.core.proxmox.model.DestroyOptions.defaults()),
                java.time.Duration.ofMinutes(2));
    }

    private String tag(long containerId) {
        return new OwnerTag(f.engine.registry().identity(), siteId(), containerId).render();
    }

    private long siteId() {
        return f.engine.registry().sites().findByName(SITE).orElseThrow().id();
    }

    @Test
    void storedSpecIsTheFullSpecLastApplied() {
        ContainerSpec spec = container("stored1").env(Map.of("A", "1")).entrypoint("/usr/sbin/nginx -g 'daemon off;'")
                .features(new ContainerSpec.Features(false, true, false)).build();
        f.engine.containers().apply(TF, spec);
        assertThat(f.engine.containers().storedSpec(SITE, "stored1")).contains(spec);
        assertThat(f.engine.containers().storedSpec(SITE, "never-applied")).isEmpty();
        f.engine.containers().delete(TF, SITE, "stored1");
        assertThat(f.engine.containers().storedSpec(SITE, "stored1")).isEmpty();
    }
}
