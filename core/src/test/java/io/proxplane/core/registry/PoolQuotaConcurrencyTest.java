package io.proxplane.core.registry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.proxplane.core.registry.Fixtures.K8S;
import static io.proxplane.core.registry.Fixtures.TF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pool quotas hold when many writers put containers into one pool at the same time: threads of this
 * JVM released together by a barrier, and a second JVM. Exactly the allowed number of writes
 * succeeds, the others are refused with the numbers, and a refusal writes nothing.
 */
class PoolQuotaConcurrencyTest {
    static final int THREADS = 6;
    static final int CHILD_THREADS = 4;
    static final int PARENT_THREADS = 4;
    static final int PER_THREAD = 3;

    static TestDatabase database;
    static Registry registry;
    static Site site;

    @BeforeAll
    static void open() {
        database = TestDatabase.create();
        registry = Registry.open(database.config().withMaxPoolSize(THREADS + 2));
        site = registry.sites().upsert(K8S, Fixtures.site("quota", "10.80.0.0/22", "10.80.0.1", null, null, List.of()));
    }

    @AfterAll
    static void close() {
        registry.close();
        database.close();
    }

    private static ContainerSpec spec(String name, Long poolId, Resources r) {
        return new ContainerSpec(site.id(), name, name, null, "docker.io/library/debian:12", r, "alice", poolId, "running");
    }

    private static Pool pool(String name, Integer containers, Integer cores, Long memoryMb, Long diskGb) {
        return registry.pools().upsert(K8S, new PoolSpec(name, containers, cores, memoryMb, diskGb, List.of()));
    }

    private static List<Container> inPool(Pool pool) {
        return registry.containers().list().stream().filter(c -> Objects.equals(c.spec().poolId(), pool.id())).toList();
    }

    /** Runs the tasks on their own threads, released together; each outcome is the result or the exception thrown. */
    private static List<Object> race(List<Callable<Object>> tasks) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(tasks.size());
        ExecutorService executor = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<Object> task : tasks) {
                futures.add(executor.submit(() -> {
                    barrier.await();
                    try {
                        return task.call();
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            executor.shutdownNow();
        }
    }

    private static long auditRows() throws Exception {
        try (Connection c = database.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from audit_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void threadsOfTwoJvmsNeverPutMoreContainersIntoAPoolThanItsQuota() throws Exception {
        Pool pool = pool("jvms", 3, null, null, null);
        long revisionBefore = registry.currentRevision();
        long auditBefore = auditRows();

        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                QuotaWorker.class.getName(),
                database.jdbcUrl(), TestDatabase.USER, String.valueOf(site.id()), String.valueOf(pool.id()), "child",
                String.valueOf(CHILD_THREADS), String.valueOf(PER_THREAD));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        ExecutorService parent = Executors.newSingleThreadExecutor();
        try {
            // No wall-clock limits: every wait below ends when the child prints or exits, and the child's
            // work is bounded (a fixed number of upserts) and stops when its stdin closes.
            BufferedReader fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(fromChild.readLine()).as("child JVM's first line").isEqualTo("ready");

            CountDownLatch start = new CountDownLatch(1);
            Future<List<String>> parentLines = parent.submit(() ->
                    QuotaWorker.run(registry, site.id(), pool.id(), "parent", PARENT_THREADS, PER_THREAD, start));
            OutputStream toChild = child.getOutputStream();
            toChild.write("go\n".getBytes(StandardCharsets.UTF_8));
            toChild.flush();
            start.countDown();

            List<String> lines = new ArrayList<>(parentLines.get());
            List<String> childLines = new ArrayList<>();
            for (String line; (line = fromChild.readLine()) != null; ) {
                childLines.add(line);
            }
            assertThat(child.waitFor()).as("child exit code").isZero();
            assertThat(childLines).as("child output").isNotEmpty().last().isEqualTo("done");
            lines.addAll(childLines.subList(0, childLines.size() - 1));

            int attempts = (PARENT_THREADS + CHILD_THREADS) * PER_THREAD;
            assertThat(lines).hasSize(attempts);
            List<String> ok = lines.stream().filter(l -> l.startsWith("ok ")).map(l -> l.substring(3)).toList();
            List<String> refused = lines.stream().filter(l -> l.startsWith("quota ")).toList();
            assertThat(ok).hasSize(3);
            assertThat(refused).hasSize(attempts - 3).allSatisfy(l -> assertThat(l).contains(
                    "pool 'jvms' quota maxContainers is 3: 3 in use by other containers + 1 requested = 4"));
            assertThat(inPool(pool)).extracting(Container::name).containsExactlyInAnyOrderElementsOf(ok);
            // A refusal writes nothing: one revision and one audit row per created container, no more.
            assertThat(registry.currentRevision()).isEqualTo(revisionBefore + 3);
            assertThat(auditRows()).isEqualTo(auditBefore + 3);
        } finally {
            parent.shutdownNow();
            child.destroyForcibly();
            child.waitFor();
        }
        for (Container c : inPool(pool)) {
            registry.containers().delete(c.meta().managedBy(), c.id());
        }
    }

    @Test
    void threadsNeverExceedCoresMemoryOrDisk() throws Exception {
        Resources size = new Resources(2, 512, 0, 4);
        record Case(Pool pool, int allowed, String message) {}
        List<Case> cases = List.of(
                new Case(pool("cores", null, 4, null, null), 2,
                        "pool 'cores' quota maxCores is 4: 4 in use by other containers + 2 requested = 6"),
                new Case(pool("memory", null, null, 1536L, null), 3,
                        "pool 'memory' quota maxMemoryMb is 1536: 1536 in use by other containers + 512 requested = 2048"),
                new Case(pool("disk", null, null, null, 8L), 2,
                        "pool 'disk' quota maxDiskGb is 8: 8 in use by other containers + 4 requested = 12"));
        for (Case c : cases) {
            List<Callable<Object>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String name = c.pool().name() + "-" + t;
                tasks.add(() -> registry.containers().upsert(K8S, spec(name, c.pool().id(), size)));
            }
            List<Object> outcomes = race(tasks);
            assertThat(outcomes).as(c.pool().name()).filteredOn(o -> o instanceof Container).hasSize(c.allowed());
            assertThat(outcomes).as(c.pool().name()).filteredOn(o -> !(o instanceof Container))
                    .hasSize(THREADS - c.allowed())
                    .allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(PoolQuotaExceededException.class,
                            e -> assertThat(e.getMessage()).isEqualTo(c.message())));
            assertThat(inPool(c.pool())).hasSize(c.allowed());
            for (Container ct : inPool(c.pool())) {
                registry.containers().delete(K8S, ct.id());
            }
        }
    }

    @Test
    void concurrentResizesCountEachContainerOnceAtItsNewSize() throws Exception {
        Pool pool = pool("resize", null, 4, null, null);
        Container a = registry.containers().upsert(K8S, spec("grow-a", pool.id(), new Resources(2, 256, 0, 2)));
        Container b = registry.containers().upsert(K8S, spec("grow-b", pool.id(), new Resources(1, 256, 0, 2)));
        for (int round = 0; round < 5; round++) {
            // back to a=2, b=1 (shrinking first, so the reset itself never exceeds the quota)
            registry.containers().upsert(K8S, spec("grow-b", pool.id(), new Resources(1, 256, 0, 2)));
            registry.containers().upsert(K8S, spec("grow-a", pool.id(), new Resources(2, 256, 0, 2)));
            // each resize alone fits (its own usage is excluded); both together would make 3 + 2 = 5 > 4
            List<Object> outcomes = race(List.of(
                    () -> registry.containers().upsert(K8S, spec("grow-a", pool.id(), new Resources(3, 256, 0, 2))),
                    () -> registry.containers().upsert(K8S, spec("grow-b", pool.id(), new Resources(2, 256, 0, 2)))));
            assertThat(outcomes).filteredOn(o -> o instanceof Container).as("round " + round).hasSize(1);
            assertThat(outcomes).filteredOn(o -> !(o instanceof Container)).singleElement()
                    .isInstanceOfSatisfying(PoolQuotaExceededException.class, e -> assertThat(e.getMessage()).isIn(
                            "pool 'resize' quota maxCores is 4: 2 in use by other containers + 3 requested = 5",
                            "pool 'resize' quota maxCores is 4: 3 in use by other containers + 2 requested = 5"));
            assertThat(inPool(pool).stream().mapToLong(c -> c.spec().resources().cores()).sum()).isEqualTo(4);
        }
        registry.containers().delete(K8S, a.id());
        registry.containers().delete(K8S, b.id());
    }

    @Test
    void concurrentMovesIntoAPoolNeverExceedIt() throws Exception {
        Pool pool = pool("target", 1, null, null, null);
        Resources size = new Resources(1, 256, 0, 2);
        Container x = registry.containers().upsert(K8S, spec("mover-x", null, size));
        Container y = registry.containers().upsert(K8S, spec("mover-y", null, size));
        for (int round = 0; round < 3; round++) {
            List<Object> outcomes = race(List.of(
                    () -> registry.containers().upsert(K8S, spec("mover-x", pool.id(), size)),
                    () -> registry.containers().upsert(K8S, spec("mover-y", pool.id(), size))));
            assertThat(outcomes).filteredOn(o -> o instanceof Container).as("round " + round).hasSize(1);
            assertThat(outcomes).filteredOn(o -> !(o instanceof Container)).singleElement()
                    .isInstanceOfSatisfying(PoolQuotaExceededException.class, e -> assertThat(e.getMessage())
                            .isEqualTo("pool 'target' quota maxContainers is 1: 1 in use by other containers + 1 requested = 2"));
            List<Container> in = inPool(pool);
            assertThat(in).hasSize(1);
            // the refused one is still where it was
            String loser = in.get(0).name().equals("mover-x") ? "mover-y" : "mover-x";
            assertThat(registry.containers().findByName(site.id(), loser).orElseThrow().spec().poolId()).isNull();
            registry.containers().upsert(K8S, spec(in.get(0).name(), null, size));
        }
        registry.containers().delete(K8S, x.id());
        registry.containers().delete(K8S, y.id());
    }

    @Test
    void resizeExcludesOwnUsageRefusalWritesNothingAndOwnershipIsCheckedFirst() throws Exception {
        Pool pool = pool("rules", 2, 3, 4096L, 20L);
        Container c1 = registry.containers().upsert(K8S, spec("rules-1", pool.id(), new Resources(2, 1024, 0, 10)));
        // re-applying and growing within the quota count the container once
        assertThat(registry.containers().upsert(K8S, spec("rules-1", pool.id(), new Resources(2, 1024, 0, 10)))).isEqualTo(c1);
        registry.containers().upsert(K8S, spec("rules-1", pool.id(), new Resources(3, 4096, 0, 20)));

        long revision = registry.currentRevision();
        long audit = auditRows();
        ContainerSpec tooBig = spec("rules-2", pool.id(), new Resources(1, 256, 0, 1));
        assertThatThrownBy(() -> registry.containers().upsert(K8S, tooBig))
                .isInstanceOfSatisfying(PoolQuotaExceededException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo(
                            "pool 'rules' quota maxCores is 3: 3 in use by other containers + 1 requested = 4");
                    assertThat(e.pool()).isEqualTo("rules");
                    assertThat(e.quota()).isEqualTo("maxCores");
                    assertThat(e.limit()).isEqualTo(3);
                    assertThat(e.inUse()).isEqualTo(3);
                    assertThat(e.requested()).isEqualTo(1);
                });
        assertThatThrownBy(() -> registry.containers().checkQuota(tooBig)).isInstanceOf(PoolQuotaExceededException.class)
                .hasMessage("pool 'rules' quota maxCores is 3: 3 in use by other containers + 1 requested = 4");
        assertThatThrownBy(() -> registry.containers().upsert(K8S, spec("rules-1", pool.id(), new Resources(3, 4097, 0, 20))))
                .hasMessage("pool 'rules' quota maxMemoryMb is 4096: 0 in use by other containers + 4097 requested = 4097");
        assertThatThrownBy(() -> registry.containers().upsert(K8S, spec("rules-1", pool.id(), new Resources(3, 4096, 0, 21))))
                .hasMessage("pool 'rules' quota maxDiskGb is 20: 0 in use by other containers + 21 requested = 21");
        assertThat(registry.containers().findByName(site.id(), "rules-2")).isEmpty();
        assertThat(registry.containers().findByName(site.id(), "rules-1").orElseThrow().spec().resources())
                .isEqualTo(new Resources(3, 4096, 0, 20));
        assertThat(registry.currentRevision()).isEqualTo(revision);
        assertThat(auditRows()).isEqualTo(audit);

        // another manager's container is refused for ownership, even where the quota would refuse too
        assertThatThrownBy(() -> registry.containers().upsert(TF, spec("rules-1", pool.id(), new Resources(9, 256, 0, 1))))
                .isInstanceOf(OwnershipConflictException.class);
        // a container outside any pool is never limited
        Container free = registry.containers().upsert(K8S, spec("rules-free", null, new Resources(64, 65536, 0, 500)));
        registry.containers().checkQuota(spec("rules-free", null, new Resources(64, 65536, 0, 500)));

        registry.containers().delete(K8S, free.id());
        registry.containers().delete(K8S, c1.id());
    }
}
