package io.proxplane.core.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proxplane.core.proxmox.error.CancelledException;
import io.proxplane.core.proxmox.model.Upid;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cancellation tokens, operation groups, and the client's blocking points honouring them: a
 * request in flight, a task wait and a retry back-off all end with {@link CancelledException} as
 * soon as the operation is cancelled. Each blocking point is set up to block far longer (minutes)
 * than the generous hang guard, so finishing at all proves the cancel worked.
 */
class CancellationTest {

    private static final long HANG_GUARD_SECONDS = 60;
    /** A thread per call: a call that still blocks must not starve the next test (the common pool may have one thread). */
    private static final java.util.concurrent.Executor OWN_THREAD = r -> Thread.ofPlatform().daemon().name("cancel-test").start(r);

    @RegisterExtension
    static PveSimulatorExtension sim = new PveSimulatorExtension();

    @AfterEach
    void clearFaults() {
        sim.simulator().faults().clear();
    }

    @Test
    void bindRestoresThePreviousTokenAndNoneIsNeverCancelled() {
        Cancellation outer = Cancellation.create();
        Cancellation inner = Cancellation.create();
        assertThat(Cancellation.current()).isSameAs(Cancellation.NONE);
        try (Cancellation.Scope a = outer.bind()) {
            try (Cancellation.Scope b = inner.bind()) {
                assertThat(Cancellation.current()).isSameAs(inner);
            }
            assertThat(Cancellation.current()).isSameAs(outer);
        }
        assertThat(Cancellation.current()).isSameAs(Cancellation.NONE);
        assertThat(Cancellation.NONE.cancel("no")).isFalse();
        assertThat(Cancellation.NONE.isCancelled()).isFalse();
    }

    @Test
    void firstReasonWinsAndListenersRunOnceRegisteredEvenLate() {
        Cancellation c = Cancellation.create();
        AtomicInteger early = new AtomicInteger();
        AtomicInteger removed = new AtomicInteger();
        c.onCancel(early::incrementAndGet);
        c.onCancel(removed::incrementAndGet).close();
        assertThat(c.cancel("first")).isTrue();
        assertThat(c.cancel("second")).isFalse();
        assertThat(c.reason()).isEqualTo("first");
        assertThat(early).hasValue(1);
        assertThat(removed).hasValue(0);
        AtomicInteger late = new AtomicInteger();
        c.onCancel(late::incrementAndGet);
        assertThat(late).hasValue(1);
        assertThatThrownBy(c::check).isInstanceOf(CancelledException.class).hasMessage("first");
    }

    @Test
    void cancelWakesASleeper() throws Exception {
        Cancellation c = Cancellation.create();
        CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
            try (Cancellation.Scope s = c.bind()) {
                RetryPolicy.THREAD_SLEEP.sleep(Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, OWN_THREAD);
        c.cancel("stop it");
        assertThat(failure(sleeping)).isInstanceOf(CancelledException.class).hasMessage("stop it");
    }

    @Test
    void groupCancelsOnlyRunningOperationsAndLaterOnesGetFreshTokens() {
        InFlight group = new InFlight();
        Cancellation first;
        try (InFlight.Operation op = group.enter()) {
            first = op.cancellation();
            assertThat(Cancellation.current()).isSameAs(first);
            assertThat(group.cancelAll("shutdown")).isEqualTo(1);
            assertThat(first.reason()).isEqualTo("shutdown");
        }
        assertThat(group.size()).isZero();
        assertThat(Cancellation.current()).isSameAs(Cancellation.NONE);
        try (InFlight.Operation op = group.enter()) {
            assertThat(op.cancellation()).isNotSameAs(first);
            assertThat(op.cancellation().isCancelled()).isFalse();
        }
        assertThat(group.cancelAll("nothing runs")).isZero();
    }

    @Test
    void groupJoinsATokenTheCallerBoundSoBothCanCancel() {
        InFlight group = new InFlight();
        Cancellation callers = Cancellation.create();
        try (Cancellation.Scope s = callers.bind(); InFlight.Operation op = group.enter()) {
            assertThat(op.cancellation()).isSameAs(callers);
            group.cancelAll("stopped");
        }
        assertThat(callers.reason()).isEqualTo("stopped");
        assertThat(Cancellation.current()).isSameAs(Cancellation.NONE);
    }

    @Test
    void requestInFlightIsAbortedNotTimedOut() throws Exception {
        PveSimulator pve = sim.simulator();
        // The answer would take minutes and the client waits 10 minutes: only the cancel can end it.
        pve.faults().latency("GET", "/version", Duration.ofMinutes(5));
        try (ProxmoxClient client = SimClients.builder(pve).readTimeout(Duration.ofMinutes(10))
                .apiToken(PveSimulatorExtension.DEFAULT_TOKEN_ID, PveSimulatorExtension.DEFAULT_TOKEN_SECRET).build()) {
            Cancellation c = Cancellation.create();
            CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
                try (Cancellation.Scope s = c.bind()) {
                    return client.version();
                }
            }, OWN_THREAD);
            awaitCondition(() -> client.requestCounts().getOrDefault("GET /version", 0L) == 1);
            c.cancel("interrupted by the test");
            assertThat(failure(call)).isInstanceOfSatisfying(CancelledException.class, e -> {
                assertThat(e.path()).isEqualTo("/version");
                assertThat(e.proxmoxMessage()).isEqualTo("interrupted by the test");
            });
            // A cancelled token refuses before sending anything.
            assertThatThrownBy(() -> {
                try (Cancellation.Scope s = c.bind()) {
                    client.version();
                }
            }).isInstanceOf(CancelledException.class);
            assertThat(client.requestCounts()).containsEntry("GET /version", 1L);
        }
    }

    @Test
    void taskWaitEndsOnCancelWhileTheTaskKeepsRunning() throws Exception {
        PveSimulator pve = sim.simulator();
        pve.faults().hangTask("vzcreate", null);
        try (ProxmoxClient client = SimClients.rootClient(pve)) {
            Upid upid = client.lxc().create(SimClients.NODE, SimClients.container(300).build());
            Cancellation c = Cancellation.create();
            CompletableFuture<Object> await = CompletableFuture.supplyAsync(() -> {
                try (Cancellation.Scope s = c.bind()) {
                    return client.tasks().await(upid, Duration.ofMinutes(10));
                }
            }, OWN_THREAD);
            awaitCondition(() -> client.requestCounts().getOrDefault("GET /nodes/{node}/tasks/{upid}/status", 0L) >= 2);
            c.cancel("interrupted by the test");
            assertThat(failure(await)).isInstanceOf(CancelledException.class).hasMessageContaining("interrupted by the test");
            assertThat(client.tasks().status(upid).isRunning()).isTrue();
        }
    }

    @Test
    void retryBackOffEndsOnCancel() throws Exception {
        PveSimulator pve = sim.simulator();
        pve.faults().failNext("GET", "/version", 100, 503, "busy");
        // Real sleeping between attempts, minutes long.
        try (ProxmoxClient client = SimClients.builder(pve)
                .apiToken(PveSimulatorExtension.DEFAULT_TOKEN_ID, PveSimulatorExtension.DEFAULT_TOKEN_SECRET)
                .retryPolicy(new RetryPolicy(5, Duration.ofMinutes(5), Duration.ofMinutes(5), RetryPolicy.THREAD_SLEEP, () -> 0.999))
                .build()) {
            Cancellation c = Cancellation.create();
            CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
                try (Cancellation.Scope s = c.bind()) {
                    return client.version();
                }
            }, OWN_THREAD);
            awaitCondition(() -> client.requestCounts().getOrDefault("GET /version", 0L) == 1);
            c.cancel("interrupted by the test");
            assertThat(failure(call)).isInstanceOf(CancelledException.class);
            assertThat(client.requestCounts()).containsEntry("GET /version", 1L);
        }
    }

    private static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected the call to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the call still blocks " + HANG_GUARD_SECONDS + " s after the cancel");
        }
    }

    private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + HANG_GUARD_SECONDS + " s");
            }
            Thread.sleep(10);
        }
    }
}
