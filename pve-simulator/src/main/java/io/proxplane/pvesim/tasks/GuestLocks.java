package io.proxplane.pvesim.tasks;

import io.proxplane.pvesim.api.ApiException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The per-guest flock `/run/lock/lxc/pve-config-<vmid>.lock`. Semaphores rather than thread-owned
 * locks, because a task acquires it on one thread and fault injection may release it from another.
 */
public final class GuestLocks {
    private final ConcurrentHashMap<Integer, Semaphore> locks = new ConcurrentHashMap<>();
    private final Duration timeout;

    public GuestLocks(Duration timeout) {
        this.timeout = timeout;
    }

    public static String timeoutMessage(int vmid) {
        return "can't lock file '/run/lock/lxc/pve-config-" + vmid + ".lock' - got timeout";
    }

    /** Waits up to the flock timeout; false on timeout. */
    public boolean tryAcquire(int vmid) throws InterruptedException {
        return locks.computeIfAbsent(vmid, k -> new Semaphore(1)).tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Immediate attempt without waiting. */
    public boolean tryAcquireNow(int vmid) {
        return locks.computeIfAbsent(vmid, k -> new Semaphore(1)).tryAcquire();
    }

    public void release(int vmid) {
        locks.get(vmid).release();
    }

    /** Runs a synchronous handler under the flock: 500 "can't lock file ... - got timeout" if it is busy. */
    public <T> T withLock(int vmid, java.util.function.Supplier<T> body) {
        boolean got;
        try {
            got = tryAcquire(vmid);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.fail("interrupted");
        }
        if (!got) throw ApiException.fail(timeoutMessage(vmid));
        try {
            return body.get();
        } finally {
            release(vmid);
        }
    }

    /** Fault injection: hold the flock for a while without a task. */
    public void hold(int vmid, Duration d) {
        Semaphore s = locks.computeIfAbsent(vmid, k -> new Semaphore(1));
        s.acquireUninterruptibly();
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(d);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            } finally {
                s.release();
            }
        });
    }
}
