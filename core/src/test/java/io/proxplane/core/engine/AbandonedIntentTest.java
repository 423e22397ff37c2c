package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.engine.spec.UserSpec;
import io.proxplane.core.proxmox.InFlight;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.proxmox.model.TaskQuery;
import io.proxplane.core.proxmox.model.TaskSummary;
import io.proxplane.core.registry.Container;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.proxplane.core.engine.EngineFixture.K8S;
import static io.proxplane.core.engine.EngineFixture.SITE;
import static io.proxplane.core.engine.EngineFixture.TF;
import static io.proxplane.core.engine.EngineFixture.container;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Intents whose engine is gone are resolved by the next engine run for the site, even when no
 * front door ever mentions the object again; intents of a live engine are never touched. A
 * "crash" here is an engine whose session connection is closed abruptly (what PostgreSQL sees
 * when a process is killed); the interrupted operation itself is made to stop half-way with a
 * simulator fault, so the registry and Proxmox are exactly as a kill at that point leaves them.
 */
class AbandonedIntentTest {
    private static final long HANG_GUARD_SECONDS = 300;
    static EngineFixture f;

    @BeforeAll
    static void up() {
        f = new EngineFixture();
        f.site();
        f.engine.users().apply(K8S, new UserSpec("alice", "Alice", "A", "alice@example.com", null, List.of(), null, null, null, List.of()));
    }

    @AfterAll
    static void down() {
        f.close();
    }

    @Test
    void anAbandonedCreateIsRolledBackByAnotherEnginesUnrelatedApplyButALiveOneIsNot() throws Exception {
        Engine crashed = EngineFixture.engine(f.db, f.sim);
        // The create goes through (LXC made, intent and task recorded), then the owner grant fails:
        // the row is left with intent create of the crashed engine's session, as a kill there leaves it.
        f.sim.faults().failNext("PUT", "/access/acl", 1, 500, "grant refused");
        List<Integer> destroysBefore = destroyTasks();
        Throwable failed = failure(() -> crashed.containers().apply(TF, container("lost1").owner("alice").build()));
        assertThat(failed).isInstanceOf(EngineException.class);
        Container row = row("lost1").orElseThrow();
        assertThat(row.intent()).isEqualTo("create");
        assertThat(row.taskUpid()).isNotNull();
        assertThat(guestOf(row)).isPresent();
        assertThat(f.admin.users().list(false)).extracting(u -> u.userid()).contains("alice@pve");

        // Its engine is alive: another engine's unrelated apply and a resync leave it alone.
        assertThat(f.engine.registry().intents().alive(crashed.sessionId())).isTrue();
        ContainerResult unrelated = f.engine.containers().apply(K8S, container("bystander").build());
        assertThat(unrelated.actions()).extracting(Action::verb).doesNotContain("recover-rollback", "recover-delete");
        f.engine.resync(SITE);
        assertThat(row("lost1")).hasValueSatisfying(c -> assertThat(c.intent()).isEqualTo("create"));
        assertThat(guestOf(row)).isPresent();
        assertThat(destroyTasks()).hasSameSizeAs(destroysBefore);

        // Its engine dies: the next unrelated apply in the site rolls the create back.
        abandon(crashed);
        ContainerResult next = f.engine.containers().apply(K8S, container("bystander").cores(2).build());
        assertThat(next.actions()).filteredOn(a -> a.verb().startsWith("recover-")).singleElement().satisfies(a -> {
            assertThat(a.verb()).isEqualTo("recover-rollback");
            assertThat(a.target()).isEqualTo("container " + SITE + "/lost1");
            assertThat(a.detail()).contains("destroyed lxc/" + row.vmid(), "released vmid " + row.vmid());
        });
        assertThat(next.actions()).extracting(Action::verb).contains("destroy-lxc", "delete-user");
        assertThat(row("lost1")).isEmpty();
        assertThat(guestOf(row)).isEmpty();
        // exactly that guest was destroyed, exactly once
        List<Integer> destroys = destroyTasks();
        destroysBefore.forEach(destroys::remove); // what this apply destroyed
        assertThat(destroys).containsExactly(row.vmid());
        assertThat(f.admin.users().list(false)).extracting(u -> u.userid()).doesNotContain("alice@pve");
        try (Connection db = f.db.connect(); Statement st = db.createStatement()) {
            assertThat(count(st, "select count(*) from containers where vmid = " + row.vmid() + " or ipv4 = '" + row.ipv4()
                    + "' or mac = '" + row.mac() + "'")).as("addresses released").isZero();
            assertThat(count(st, "select count(*) from engine_container_specs where container_id = " + row.id())).isZero();
        }
        // resolved once: the next run finds nothing to do
        assertThat(f.engine.containers().apply(K8S, container("bystander").cores(2).build()).actions()).isEmpty();
        crashed.close();
        f.engine.containers().delete(K8S, SITE, "bystander");
    }

    @Test
    void aCreateRetriedWithANewHolderAfterACrashRollsTheAbandonedOneBackAndSucceeds() throws Exception {
        // Terraform never learns the holder token of a create whose provider was killed: its retry
        // is a CREATE with a new token, which must not be refused by the create it never saw finish.
        Engine crashed = EngineFixture.engine(f.db, f.sim);
        f.sim.faults().failNext("PUT", "/access/acl", 1, 500, "grant refused");
        Throwable failed = failure(() -> crashed.containers().apply(
                io.proxplane.core.registry.Claim.create(TF, "terraform:first"), container("retried").owner("alice").build()));
        assertThat(failed).isInstanceOf(EngineException.class);
        Container first = row("retried").orElseThrow();
        assertThat(first.intent()).isEqualTo("create");
        abandon(crashed);

        ContainerResult retry = f.engine.containers().apply(
                io.proxplane.core.registry.Claim.create(TF, "terraform:second"), container("retried").owner("alice").build());
        assertThat(retry.actions()).extracting(Action::verb).contains("recover-rollback", "create-lxc");
        Container now = row("retried").orElseThrow();
        assertThat(now.intent()).isNull();
        assertThat(now.meta().claimedBy()).isEqualTo("terraform:second");
        assertThat(guestOf(now)).isPresent();
        crashed.close();
        f.engine.containers().delete(io.proxplane.core.registry.Claim.apply(TF, "terraform:second"), SITE, "retried");
    }

    @Test
    void anIntentOfALiveEngineBlockedOnAHungCreateIsNotTouched() throws Exception {
        Engine busy = EngineFixture.engine(f.db, f.sim);
        try {
            int destroysBefore = destroyTasks().size();
            f.sim.faults().hangTask("vzcreate", null);
            CompletableFuture<ContainerResult> apply = CompletableFuture.supplyAsync(() -> {
                try (InFlight.Operation op = busy.operation()) {
                    return busy.containers().apply(K8S, container("slow1").build());
                }
            }, r -> Thread.ofPlatform().daemon().name("busy-engine").start(r));
            Container recorded = await(() -> row("slow1").filter(c -> c.taskUpid() != null).orElse(null));
            ContainerResult other = f.engine.containers().apply(K8S, container("bystander2").build());
            assertThat(other.actions()).extracting(Action::verb).doesNotContain("recover-rollback");
            SiteObservation resync = f.engine.resync(SITE);
            assertThat(resync.actions()).extracting(Action::verb).doesNotContain("recover-rollback", "destroy-lxc", "create-lxc");
            assertThat(row("slow1")).hasValueSatisfying(c -> {
                assertThat(c.intent()).isEqualTo("create");
                assertThat(c.taskUpid()).isEqualTo(recorded.taskUpid());
            });
            assertThat(destroyTasks()).hasSize(destroysBefore);

            // the live engine finishes its own create once the task ends
            busy.cancelInFlight("test over");
            assertThat(failure(() -> apply.get())).isInstanceOf(EngineException.class);
            f.sim.faults().clear();
            ContainerResult done = busy.containers().apply(K8S, container("slow1").build());
            assertThat(done.actions()).extracting(Action::verb).contains("adopt").doesNotContain("create-lxc");
            assertThat(row("slow1").orElseThrow().intent()).isNull();
        } finally {
            f.sim.faults().clear();
            busy.close();
        }
        f.engine.containers().delete(K8S, SITE, "slow1");
        f.engine.containers().delete(K8S, SITE, "bystander2");
    }

    @Test
    void anAbandonedDeleteIsFinished() throws Exception {
        Engine crashed = EngineFixture.engine(f.db, f.sim);
        crashed.containers().apply(K8S, container("gone1").build());
        crashed.services().apply(K8S, ContainerServiceSpec.tcp(SITE, "gone1", "ssh", 22, null));
        Container row = row("gone1").orElseThrow();
        // the delete records its intent, then stopping the guest fails: as a kill mid-delete leaves it
        f.sim.faults().failTask("vzstop", row.vmid(), "stop refused");
        assertThat(failure(() -> crashed.containers().delete(K8S, SITE, "gone1"))).isInstanceOf(EngineException.class);
        f.sim.faults().clear();
        assertThat(row("gone1").orElseThrow().intent()).isEqualTo("delete");
        abandon(crashed);

        ContainerResult r = f.engine.containers().apply(K8S, container("bystander3").build());
        assertThat(r.actions()).filteredOn(a -> a.verb().startsWith("recover-")).singleElement()
                .satisfies(a -> assertThat(a.verb() + " " + a.target()).as(a.toString()).isEqualTo("recover-delete container " + SITE + "/gone1"));
        assertThat(row("gone1")).isEmpty();
        assertThat(guestOf(row)).isEmpty();
        try (Connection db = f.db.connect(); Statement st = db.createStatement()) {
            assertThat(count(st, "select count(*) from services s join containers c on c.id = s.container_id where c.name = 'gone1'"))
                    .isZero();
            assertThat(count(st, "select count(*) from services where container_id = " + row.id())).as("port released").isZero();
        }
        crashed.close();
        f.engine.containers().delete(K8S, SITE, "bystander3");
    }

    @Test
    void anAbandonedPoolCreateIsRolledBack() throws Exception {
        f.engine.groups().apply(K8S, new GroupSpec("ops", null, List.of(), false));
        Engine crashed = EngineFixture.engine(f.db, f.sim);
        // The first converge makes the Proxmox pool and group, the grant fails, and so does the
        // undo's pool delete: row and intent stay, as a kill in the middle leaves them.
        f.sim.faults().failNext("PUT", "/access/acl", 1, 500, "grant refused");
        f.sim.faults().failNext("DELETE", "/pools", 1, 500, "pool busy");
        PoolSpec spec = new PoolSpec("crashpool", PoolSpec.Quotas.UNLIMITED, List.of(new PoolSpec.AclGrant("ops", null, "PVEVMUser")));
        assertThat(failure(() -> crashed.pools().apply(K8S, spec))).isInstanceOf(EngineException.class);
        f.sim.faults().clear();
        assertThat(f.engine.registry().pools().findByName("crashpool")).isPresent();
        assertThat(f.admin.pools().list()).extracting(p -> p.poolid()).contains("crashpool");
        assertThat(f.admin.groups().list()).extracting(g -> g.groupid()).contains("ops");
        abandon(crashed);

        ContainerResult r = f.engine.containers().apply(K8S, container("bystander4").build());
        assertThat(r.actions()).filteredOn(a -> a.verb().startsWith("recover-")).singleElement()
                .satisfies(a -> assertThat(a.verb() + " " + a.target()).isEqualTo("recover-rollback pool crashpool"));
        assertThat(r.actions()).extracting(Action::verb).contains("delete-pool", "delete-group");
        assertThat(f.engine.registry().pools().findByName("crashpool")).isEmpty();
        assertThat(f.admin.pools().list()).extracting(p -> p.poolid()).doesNotContain("crashpool");
        assertThat(f.admin.groups().list()).extracting(g -> g.groupid()).doesNotContain("ops");
        try (Connection db = f.db.connect(); Statement st = db.createStatement()) {
            assertThat(count(st, "select count(*) from engine_pool_intents")).isZero();
        }
        crashed.close();
        f.engine.containers().delete(K8S, SITE, "bystander4");
        f.engine.groups().delete(K8S, "ops");
    }

    @Test
    void anAbandonedPoolDeleteIsFinishedByThePoolsNextRun() throws Exception {
        Engine crashed = EngineFixture.engine(f.db, f.sim);
        crashed.pools().apply(K8S, new PoolSpec("oldpool", PoolSpec.Quotas.UNLIMITED, List.of()));
        f.sim.faults().failNext("DELETE", "/pools", 1, 500, "pool busy");
        assertThat(failure(() -> crashed.pools().delete(K8S, "oldpool"))).isInstanceOf(EngineException.class);
        f.sim.faults().clear();
        abandon(crashed);
        PoolConverger.Result r = f.engine.pools().apply(K8S, new PoolSpec("otherpool", PoolSpec.Quotas.UNLIMITED, List.of()));
        assertThat(r.actions()).filteredOn(a -> a.verb().startsWith("recover-")).singleElement()
                .satisfies(a -> assertThat(a.verb() + " " + a.target()).isEqualTo("recover-delete pool oldpool"));
        assertThat(f.engine.registry().pools().findByName("oldpool")).isEmpty();
        assertThat(f.admin.pools().list()).extracting(p -> p.poolid()).doesNotContain("oldpool");
        crashed.close();
        f.engine.pools().delete(K8S, "otherpool");
        SimulatorAssertions.holdsNothingMadeByProxplane(f.admin);
    }

    @Test
    void theSessionReconnectsWithTheSameIdAfterItsConnectionIsKilled() throws Exception {
        Engine e = EngineFixture.engine(f.db, f.sim);
        try {
            int id = e.sessionId();
            try (Connection db = f.db.connect(); Statement st = db.createStatement()) {
                st.execute("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'proxplane-engine-session'"
                        + " and datname = current_database() and pid in (select pid from pg_locks where locktype = 'advisory'"
                        + " and objid = " + id + ")");
            }
            assertThat(await(() -> f.engine.registry().intents().alive(id) ? null : Boolean.TRUE)).isTrue();
            // the next intent it records retakes the same session first
            e.containers().apply(K8S, container("reborn").build());
            assertThat(e.sessionId()).isEqualTo(id);
            assertThat(f.engine.registry().intents().alive(id)).isTrue();
            e.containers().delete(K8S, SITE, "reborn");
        } finally {
            e.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Ends the engine's session as a crash would, and waits until PostgreSQL has noticed (a backend
     * releases its locks when it exits, shortly after its client's connection is gone).
     */
    private static void abandon(Engine e) throws InterruptedException {
        e.abandonSessionForTest();
        await(() -> f.engine.registry().intents().alive(e.sessionId()) ? null : Boolean.TRUE);
    }

    private static Optional<Container> row(String name) {
        long siteId = f.engine.registry().sites().findByName(SITE).orElseThrow().id();
        return f.engine.registry().containers().findByName(siteId, name);
    }

    /** The guest carrying the row's owner tag (its vmid may be reused by another container afterwards). */
    private static Optional<ClusterResource> guestOf(Container row) {
        String tag = new OwnerTag(f.engine.registry().identity(), row.siteId(), row.id()).render();
        return f.admin.cluster().resources().stream().filter(r -> r.tags().contains(tag)).findFirst();
    }

    /** The vmids of every destroy task the simulator ran, one entry per task. */
    private static List<Integer> destroyTasks() {
        List<Integer> out = new ArrayList<>();
        for (String node : EngineFixture.NODES) {
            for (TaskSummary t : f.admin.tasks().list(node, new TaskQuery(null, null, "all", null, 0, 100_000))) {
                if ("vzdestroy".equals(t.type())) out.add(Integer.parseInt(t.id()));
            }
        }
        return out;
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private interface Call {
        Object call() throws Exception;
    }

    private static Throwable failure(Call c) {
        try {
            c.call();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    private static <T> T await(Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
        while (true) {
            T v = probe.get();
            if (v != null) return v;
            if (System.nanoTime() > deadline) throw new AssertionError("not reached within " + HANG_GUARD_SECONDS + " s");
            Thread.sleep(10);
        }
    }
}
