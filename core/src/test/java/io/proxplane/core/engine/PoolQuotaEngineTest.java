package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.registry.Container;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static io.proxplane.core.engine.EngineFixture.K8S;
import static io.proxplane.core.engine.EngineFixture.SITE;
import static io.proxplane.core.engine.EngineFixture.container;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parallel applies into one pool (the operator reconciles on several threads, Terraform applies with
 * parallelism 10) never create more containers than the pool's quotas allow: through one engine used
 * by several threads and through several engines over one registry, all released together.
 */
class PoolQuotaEngineTest {
    static final int THREADS = 4;
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

    /** Applies container {@code prefix-i} from thread i, all released by one barrier; outcomes in thread order. */
    private static List<Object> race(String prefix, IntFunction<Engine> engineOfThread, int cores, String pool) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(THREADS);
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Engine engine = engineOfThread.apply(t);
                String name = prefix + "-" + t;
                futures.add(executor.submit(() -> {
                    barrier.await();
                    try {
                        return engine.containers().apply(K8S, container(name).pool(pool).cores(cores).build());
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> fu : futures) {
                outcomes.add(fu.get());
            }
            return outcomes;
        } finally {
            executor.shutdownNow();
        }
    }

    private static void assertOutcome(List<Object> outcomes, String prefix, int allowed, String message) {
        assertThat(outcomes).filteredOn(o -> o instanceof ContainerResult).hasSize(allowed);
        assertThat(outcomes).filteredOn(o -> !(o instanceof ContainerResult)).hasSize(THREADS - allowed)
                .allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.QUOTA);
                    assertThat(e.getMessage()).contains(message);
                }));
        assertThat(f.admin.cluster().resources()).as("guests in the simulator")
                .filteredOn(r -> "lxc".equals(r.type()) && r.name() != null && r.name().startsWith(prefix + "-"))
                .hasSize(allowed);
        assertThat(f.engine.registry().containers().list()).as("registry rows")
                .filteredOn(c -> c.name().startsWith(prefix + "-")).hasSize(allowed);
    }

    private static void deleteAll(String prefix) {
        for (Container c : f.engine.registry().containers().list()) {
            if (c.name().startsWith(prefix + "-")) {
                f.engine.containers().delete(K8S, SITE, c.name());
            }
        }
    }

    @Test
    void oneEngineOnFourThreadsCreatesOneContainerInAPoolOfOne() throws Exception {
        f.engine.pools().apply(K8S, new PoolSpec("solo", new PoolSpec.Quotas(1, null, null, null), List.of()));
        List<Object> outcomes = race("solo", t -> f.engine, 1, "solo");
        assertOutcome(outcomes, "solo", 1,
                "pool 'solo' quota maxContainers is 1: 1 in use by other containers + 1 requested = 2");
        deleteAll("solo");
    }

    @Test
    void fourEnginesOverOneRegistryCreateOneContainerInAPoolOfOne() throws Exception {
        f.engine.pools().apply(K8S, new PoolSpec("shared", new PoolSpec.Quotas(1, null, null, null), List.of()));
        List<Engine> engines = new ArrayList<>();
        try {
            for (int i = 0; i < THREADS; i++) {
                engines.add(EngineFixture.engine(f.db, f.sim));
            }
            List<Object> outcomes = race("shared", engines::get, 1, "shared");
            assertOutcome(outcomes, "shared", 1,
                    "pool 'shared' quota maxContainers is 1: 1 in use by other containers + 1 requested = 2");
        } finally {
            engines.forEach(Engine::close);
        }
        deleteAll("shared");
    }

    @Test
    void parallelAppliesNeverExceedACoresQuota() throws Exception {
        f.engine.pools().apply(K8S, new PoolSpec("cpu", new PoolSpec.Quotas(null, 2, null, null), List.of()));
        List<Object> outcomes = race("cpu", t -> f.engine, 1, "cpu");
        assertOutcome(outcomes, "cpu", 2, "pool 'cpu' quota maxCores is 2: 2 in use by other containers + 1 requested = 3");
        deleteAll("cpu");
    }
}
