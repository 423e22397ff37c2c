package io.proxplane.core.proxmox;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Bounded exponential back-off with full jitter: before attempt {@code n+1} the client waits a
 * uniformly random time in {@code [0, min(maxDelay, baseDelay * 2^(n-1))]}. Applied only to
 * transient failures and locks (see {@link ProxmoxClient}).
 *
 * @param maxAttempts total attempts including the first (1 = no retries)
 * @param sleeper     how to wait (tests inject one that records instead of sleeping)
 * @param jitter      source of uniform randoms in [0, 1)
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Sleeper sleeper, DoubleSupplier jitter) {

    /** How the client waits between attempts. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * Sleeps on the calling thread, returning early with a
     * {@link io.proxplane.core.proxmox.error.CancelledException} when the operation's
     * {@link Cancellation} is cancelled meanwhile.
     */
    public static final Sleeper THREAD_SLEEP = d -> Cancellation.current().sleep(d);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: must be at least 1, got " + maxAttempts);
        }
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("delays: need 0 <= baseDelay <= maxDelay, got " + baseDelay + ", " + maxDelay);
        }
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(jitter, "jitter");
    }

    /** 5 attempts, 250 ms doubling up to 5 s, real sleeping. Covers a 10 s flock wait on the server side. */
    public static RetryPolicy defaults() {
        return of(5, Duration.ofMillis(250), Duration.ofSeconds(5));
    }

    public static RetryPolicy none() {
        return of(1, Duration.ZERO, Duration.ZERO);
    }

    public static RetryPolicy of(int maxAttempts, Duration baseDelay, Duration maxDelay) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, THREAD_SLEEP, () -> ThreadLocalRandom.current().nextDouble());
    }

    public RetryPolicy withSleeper(Sleeper s) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, s, jitter);
    }

    public RetryPolicy withJitter(DoubleSupplier j) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, sleeper, j);
    }

    /** The upper bound of the wait after failed attempt {@code attempt} (1-based). */
    public Duration ceiling(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt: 1-based, got " + attempt);
        }
        long base = baseDelay.toNanos();
        long max = maxDelay.toNanos();
        int shift = Math.min(attempt - 1, 62);
        long ceiling = base == 0 ? 0 : (base > (max >> shift) ? max : Math.min(max, base << shift));
        return Duration.ofNanos(ceiling);
    }

    /** The wait after failed attempt {@code attempt}: full jitter over {@link #ceiling(int)}. */
    public Duration delay(int attempt) {
        double r = jitter.getAsDouble();
        if (r < 0 || r >= 1) {
            throw new IllegalStateException("jitter must return values in [0, 1), got " + r);
        }
        return Duration.ofNanos((long) (ceiling(attempt).toNanos() * r));
    }
}
