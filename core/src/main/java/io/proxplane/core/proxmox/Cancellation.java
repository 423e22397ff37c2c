package io.proxplane.core.proxmox;

import io.proxplane.core.proxmox.error.CancelledException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A cancellation token for one operation, bound to the thread that runs it. The Proxmox client
 * consults the token bound to the calling thread ({@link #current()}) wherever it can block: before
 * every request and while it is in flight (the OkHttp call is cancelled), between task polls and
 * in retry back-offs. A cancelled operation fails at that point with {@link CancelledException}.
 *
 * <p>Why thread-bound rather than a parameter: the token must reach every blocking point of an
 * engine operation (convergers, image pulls, task waits, the client's retries) without threading
 * a parameter through all of them, and a front door binds it once around its call.
 *
 * <p>A token is cancelled once and for good; the next operation gets a fresh one, so cancelling
 * never stops later work.
 */
public final class Cancellation {

    /** Bound when nothing else is: never cancelled. */
    public static final Cancellation NONE = new Cancellation(true);

    private static final ThreadLocal<Cancellation> BOUND = new ThreadLocal<>();

    private final boolean inert;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile String reason;

    private Cancellation(boolean inert) {
        this.inert = inert;
    }

    public static Cancellation create() {
        return new Cancellation(false);
    }

    /** The token bound to this thread, else {@link #NONE}. */
    public static Cancellation current() {
        Cancellation c = BOUND.get();
        return c == null ? NONE : c;
    }

    /** Binds this token to the current thread until the scope is closed (which restores the previous one). */
    public Scope bind() {
        Cancellation previous = BOUND.get();
        BOUND.set(this);
        return () -> {
            if (previous == null) {
                BOUND.remove();
            } else {
                BOUND.set(previous);
            }
        };
    }

    /**
     * Cancels: wakes the sleepers and runs the listeners (which cancel in-flight requests). The
     * first reason wins; it is the text the operation fails with. Returns false when already
     * cancelled (or for {@link #NONE}, which cannot be cancelled).
     */
    public boolean cancel(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (inert) {
            return false;
        }
        synchronized (this) {
            if (this.reason != null) {
                return false;
            }
            this.reason = reason;
        }
        cancelled.countDown();
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                // a listener only speeds the cancellation up; the checks still see the flag
            }
        }
        return true;
    }

    public boolean isCancelled() {
        return reason != null;
    }

    /** Why it was cancelled; null while it is not. */
    public String reason() {
        return reason;
    }

    /** Throws {@link CancelledException} once cancelled. */
    public void check() {
        check(null, null);
    }

    /** As {@link #check()}, naming the request that was about to be sent. */
    public void check(String method, String path) {
        String r = reason;
        if (r != null) {
            throw new CancelledException(method, path, r);
        }
    }

    /** Sleeps {@code d}, returning early with {@link CancelledException} when cancelled meanwhile. */
    public void sleep(Duration d) throws InterruptedException {
        check();
        if (inert) {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
            return;
        }
        if (cancelled.await(d.toNanos(), TimeUnit.NANOSECONDS)) {
            check();
        }
    }

    /**
     * Runs {@code action} on cancellation (at once when already cancelled) until the registration is
     * closed. The action runs on the cancelling thread, so it must be quick and must not block.
     */
    public Scope onCancel(Runnable action) {
        if (inert) {
            return () -> { };
        }
        listeners.add(action);
        if (isCancelled()) {
            action.run();
        }
        return () -> listeners.remove(action);
    }

    /** A binding or a registration; closing it cannot fail. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    public String toString() {
        return inert ? "Cancellation.NONE" : reason == null ? "Cancellation(active)" : "Cancellation(cancelled: " + reason + ")";
    }
}
