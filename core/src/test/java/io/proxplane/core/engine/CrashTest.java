package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.proxmox.model.NetworkInterface;
import io.proxplane.core.registry.Container;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the engine (a child JVM) with SIGKILL at random points of its creates, updates and deletes,
 * at least 200 times, while the simulator lives on in this JVM; then restarts it, converges, and
 * proves: no duplicate LXC, no orphan LXC, no leaked or doubly-held IP/MAC/port, all converged.
 */
class CrashTest {
    static final int KILLS = Integer.getInteger("proxplane.crash.kills", 200);
    static final int CHILDREN = 3;

    @Test
    void sigkillAtRandomPointsNeverLeaksOrDuplicates() throws Exception {
        PveSimulator sim = PveSimulatorExtension.testDefaults().nodes("pve1", "pve2", "pve3")
                .taskDuration(Duration.ofMillis(15)).build().start();
        try (EngineFixture f = new EngineFixture(sim)) {
            f.site();
            Random random = new Random(42);
            AtomicInteger kills = new AtomicInteger();
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int w = 0; w < CHILDREN; w++) {
                String prefix = "c" + w + "-";
                long seed = random.nextLong();
                workers.add(CompletableFuture.runAsync(() -> killLoop(f, prefix, seed, kills), runnable -> Thread.ofPlatform().start(runnable)));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            assertThat(kills.get()).isGreaterThanOrEqualTo(KILLS);
            System.out.println("crash test: " + kills.get() + " SIGKILLs, " + interrupted.get()
                    + " of them inside a create or delete; " + completed.get() + " operations completed, "
                    + errors.get() + " refused");
            // the kills must land inside operations, or the test proves nothing
            assertThat(interrupted.get()).isGreaterThan(KILLS / 20);

            // Restart (in this JVM) and converge a final desired state: some kept, some deleted.
            Map<String, ContainerSpec> kept = new HashMap<>();
            Random finalRandom = new Random(7);
            for (int w = 0; w < CHILDREN; w++) {
                for (int i = 0; i < CrashChild.NAMES; i++) {
                    String name = "c" + w + "-" + i;
                    if (i % 2 == 0) {
                        ContainerSpec spec = CrashChild.randomSpec(name, finalRandom);
                        f.engine.containers().apply(EngineFixture.K8S, spec);
                        f.engine.services().apply(EngineFixture.K8S, ContainerServiceSpec.tcp(EngineFixture.SITE, name, "ssh", 22, null));
                        kept.put(name, spec);
                    } else {
                        f.engine.containers().delete(EngineFixture.K8S, EngineFixture.SITE, name);
                    }
                }
            }
            SiteObservation after = f.engine.resync(EngineFixture.SITE);
            assertThat(f.engine.observeSite(EngineFixture.SITE).converged()).as(after.toString()).isTrue();

            long siteId = f.engine.registry().sites().findByName(EngineFixture.SITE).orElseThrow().id();
            List<Container> rows = f.engine.registry().containers().listBySite(siteId);
            List<ClusterResource> guests = f.admin.cluster().resources().stream().filter(r -> "lxc".equals(r.type())).toList();

            // exactly the kept containers are registered, none mid-operation
            assertThat(rows).extracting(Container::name).containsExactlyInAnyOrderElementsOf(kept.keySet());
            assertThat(rows).allSatisfy(c -> assertThat(c.intent()).isNull());
            // one LXC per row, at its vmid, with its tag; no other LXC at all (no orphans, no duplicates)
            assertThat(guests).hasSize(rows.size());
            Map<Integer, ClusterResource> byVmid = guests.stream().collect(Collectors.toMap(ClusterResource::vmid, g -> g));
            for (Container c : rows) {
                ClusterResource g = byVmid.get(c.vmid());
                assertThat(g).as("LXC of " + c.name()).isNotNull();
                assertThat(g.tags()).contains("proxplane",
                        new OwnerTag(f.engine.registry().identity(), siteId, c.id()).render());
                assertThat(g.status()).isEqualTo("running");
                NetworkInterface net0 = f.admin.lxc().config(g.node(), g.vmid()).net(0).orElseThrow();
                assertThat(net0.hwaddr()).isEqualToIgnoringCase(c.mac());
                assertThat(net0.ip()).isEqualTo(c.ipv4() + "/24");
                var cfg = f.admin.lxc().config(g.node(), g.vmid());
                assertThat(cfg.cores()).hasValue(kept.get(c.name()).cores());
            }
            // allocations: each held once, only by live rows
            try (Connection db = f.db.connect(); Statement st = db.createStatement()) {
                assertThat(one(st, "select count(*) - count(distinct ipv4) from containers")).isZero();
                assertThat(one(st, "select count(*) - count(distinct mac) from containers")).isZero();
                assertThat(one(st, "select count(*) - count(distinct (protocol, external_port)) from services")).isZero();
                assertThat(one(st, "select count(*) from services")).isEqualTo(kept.size());
                assertThat(one(st, "select count(*) from containers where vmid is null or mac is null or ipv4 is null")).isZero();
                assertThat(one(st, "select count(*) from engine_container_specs")).isEqualTo(kept.size());
            }
            Set<Integer> vmids = rows.stream().map(Container::vmid).collect(Collectors.toSet());
            assertThat(vmids).hasSize(rows.size());
        }
    }

    private static long one(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static ProcessBuilder child(EngineFixture f, String prefix, long seed, String mode) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                f.db.jdbcUrl(), f.sim.baseUrl(), f.sim.certificateFingerprintSha256(), prefix, String.valueOf(seed), mode);
    }

    private final AtomicInteger interrupted = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();

    /** Rows of this child left with an intent: the kill landed inside a create or delete. */
    private static int interruptedOperations(EngineFixture f, String prefix) throws Exception {
        try (Connection db = f.db.connect(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from containers where intent is not null and name like '"
                     + prefix + "%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void killLoop(EngineFixture f, String prefix, long seed, AtomicInteger kills) {
        Random random = new Random(seed);
        try {
            while (kills.get() < KILLS) {
                Process p = child(f, prefix, random.nextLong(), "run").redirectErrorStream(true).start();
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null && !line.startsWith("BEGIN ")) {
                    // start-up output
                }
                if (line == null) {
                    throw new IllegalStateException("child exited before its first operation: " + p.waitFor());
                }
                // a thread of its own: the common pool's workers are all busy in the kill loops
                Thread.ofPlatform().daemon().start(() -> out.lines().forEach(l -> {
                    if (l.startsWith("OK ")) {
                        completed.incrementAndGet();
                    } else if (l.startsWith("ERR ") && errors.incrementAndGet() <= 10) {
                        System.out.println("child " + prefix + ": " + l);
                    }
                }));
                // from the start of its first operation: the kill lands anywhere in the next few operations
                Thread.sleep(random.nextInt(1000));
                p.destroyForcibly(); // SIGKILL
                p.waitFor();
                kills.incrementAndGet();
                interrupted.addAndGet(interruptedOperations(f, prefix));
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
