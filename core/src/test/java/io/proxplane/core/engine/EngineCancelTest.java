package io.proxplane.core.engine;

import static io.proxplane.core.engine.EngineFixture.TF;
import static io.proxplane.core.engine.EngineFixture.container;
import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.proxmox.InFlight;
import io.proxplane.core.proxmox.model.Upid;
import io.proxplane.core.registry.Container;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cancelling engine work from another thread (what the provider's StopProvider and the operator's
 * shutdown do): an apply blocked on a hung create task returns CANCELLED at once, leaves the
 * intent recorded with the task's UPID, and the next apply adopts the guest once the task ends.
 * The engine's task timeout is 10 minutes, far beyond the 60 s hang guard, so an apply that
 * finishes at all was ended by the cancel.
 */
class EngineCancelTest {
    private static final long HANG_GUARD_SECONDS = 60;
    /** A thread per call: a call that still blocks must not starve the next test (the common pool may have one thread). */
    private static final java.util.concurrent.Executor OWN_THREAD = r -> Thread.ofPlatform().daemon().name("cancel-test").start(r);
    private static final String TEMPLATE = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";
    static EngineFixture f;
    static Engine engine;

    @BeforeAll
    static void up() {
        f = new EngineFixture();
        f.site();
        engine = Engine.builder(f.db.config(), EngineFixture.resolver(f.sim))
                .settings(EngineSettings.defaults().withTaskTimeout(Duration.ofMinutes(10)).withBackoff(3, Duration.ofMillis(20)))
                .passwordHasher(new PasswordHasher(1024, 1))
                .taskPolling(Duration.ofMillis(10), Duration.ofMillis(50))
                .build();
    }

    @AfterAll
    static void down() {
        engine.close();
        f.close();
    }

    @Test
    void applyBlockedOnAHungCreateTaskIsCancelledAndTheNextApplyAdoptsTheGuest() throws Exception {
        ContainerSpec spec = container("hung1").image(TEMPLATE).build();
        f.sim.faults().hangTask("vzcreate", null);
        CompletableFuture<ContainerResult> apply = CompletableFuture.supplyAsync(() -> {
            try (InFlight.Operation op = engine.operation()) {
                return engine.containers().apply(TF, spec);
            }
        }, OWN_THREAD);
        Container recorded = await(() -> engine.registry().containers().findByName(siteId(), "hung1")
                .filter(c -> c.taskUpid() != null).orElse(null));
        assertThat(recorded.intent()).isEqualTo("create");

        assertThat(engine.cancelInFlight("interrupted by Terraform (StopProvider)")).isEqualTo(1);

        Throwable failure = failure(apply);
        assertThat(failure).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(EngineException.Kind.CANCELLED);
            assertThat(e.getMessage()).isEqualTo("create lxc/" + recorded.vmid()
                    + ": interrupted by Terraform (StopProvider) — the next apply resumes or rolls back");
        });
        // Ended by the cancel: the task is still hung in Proxmox, and the intent stays for the next apply.
        Upid upid = Upid.parse(recorded.taskUpid());
        assertThat(f.admin.tasks().status(upid).isRunning()).isTrue();
        Container after = engine.registry().containers().findByName(siteId(), "hung1").orElseThrow();
        assertThat(after.intent()).isEqualTo("create");
        assertThat(after.taskUpid()).isEqualTo(recorded.taskUpid());
        assertThat(after.vmid()).isEqualTo(recorded.vmid());

        // The engine accepts new work, cancellable or not, and the next apply finishes the create.
        f.sim.faults().clear();
        ContainerResult again;
        try (InFlight.Operation op = engine.operation()) {
            again = engine.containers().apply(TF, spec);
        }
        assertThat(again.status().vmid()).isEqualTo(recorded.vmid());
        assertThat(again.status().state()).isEqualTo("running");
        assertThat(again.actions()).extracting(Action::verb).contains("adopt").doesNotContain("create-lxc");
        Container done = engine.registry().containers().findByName(siteId(), "hung1").orElseThrow();
        assertThat(done.intent()).isNull();
        assertThat(f.admin.lxc().config(done.spec().node(), done.vmid()).tags())
                .contains(new OwnerTag(f.engine.registry().identity(), done.spec().siteId(), done.id()).render());
    }

    private static long siteId() {
        return engine.registry().sites().findByName(EngineFixture.SITE).orElseThrow().id();
    }

    private static <T> T await(Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
        while (true) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + HANG_GUARD_SECONDS + " s");
            }
            Thread.sleep(10);
        }
    }

    private static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected the apply to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the apply still blocks " + HANG_GUARD_SECONDS + " s after the cancel");
        }
    }
}
