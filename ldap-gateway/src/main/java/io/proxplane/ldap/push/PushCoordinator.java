package io.proxplane.ldap.push;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One pending push per user. A bind that arrives while a push for the same user is pending waits
 * for that push instead of sending another (SSSD retries a held bind every ldap_opt_timeout, and
 * the push service keeps one pending request per user, so a second push would cancel the first).
 * Each waiter waits at most {@code maxWait}. After an approval, further correct-password binds of
 * the same user from the same address within {@code approvalWindow} pass without a new push
 * (a password change costs two binds).
 */
public final class PushCoordinator implements AutoCloseable {
    private final PushNotifier notifier;
    private final Duration maxWait;
    private final Duration approvalWindow;
    private final Clock clock;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, CompletableFuture<PushOutcome>> pending = new ConcurrentHashMap<>();
    private final Map<String, Instant> approvedUntil = new ConcurrentHashMap<>();
    private final AtomicLong pushesSent = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

    public PushCoordinator(PushNotifier notifier, Duration maxWait, Duration approvalWindow, Clock clock) {
        this.notifier = notifier;
        this.maxWait = maxWait;
        this.approvalWindow = approvalWindow;
        this.clock = clock;
    }

    /** The outcome for this bind; blocks at most maxWait. */
    public Result await(String username, String clientAddress) {
        String windowKey = username + "\u0000" + clientAddress;
        Instant until = approvedUntil.get(windowKey);
        if (until != null && clock.instant().isBefore(until)) return new Result(PushOutcome.APPROVED, false, true);
        boolean[] started = {false};
        CompletableFuture<PushOutcome> future = pending.computeIfAbsent(username, u -> {
            started[0] = true;
            pushesSent.incrementAndGet();
            CompletableFuture<PushOutcome> f = CompletableFuture.supplyAsync(
                    () -> notifier.requestApproval(u, clientAddress), executor);
            // Leave the map only once the push is over, so retries during it join instead of re-sending.
            f.whenComplete((outcome, error) -> pending.remove(u, f));
            return f;
        });
        PushOutcome outcome;
        waiting.incrementAndGet();
        try {
            outcome = future.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            outcome = PushOutcome.TIMEOUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = PushOutcome.TIMEOUT;
        } catch (ExecutionException e) {
            outcome = PushOutcome.FAILED;
        } finally {
            waiting.decrementAndGet();
        }
        if (outcome == PushOutcome.APPROVED && !approvalWindow.isZero()) {
            approvedUntil.put(windowKey, clock.instant().plus(approvalWindow));
        }
        approvedUntil.entrySet().removeIf(e -> !clock.instant().isBefore(e.getValue()));
        return new Result(outcome, !started[0], false);
    }

    /** Number of push requests actually sent to the service. */
    public long pushesSent() {
        return pushesSent.get();
    }

    /** Binds currently waiting for a push answer. */
    public int waiting() {
        return waiting.get();
    }

    public int pendingCount() {
        return pending.size();
    }

    /**
     * @param joined          this bind waited on a push another bind had started
     * @param fromApprovalWindow accepted because of a recent approval, no push sent
     */
    public record Result(PushOutcome outcome, boolean joined, boolean fromApprovalWindow) {
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
