package io.proxplane.ldap.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guessing limits, kept per gateway replica: an account (by bind DN, whether or not it exists, so a
 * lockout reveals nothing) is locked for {@code lockout} after {@code maxAccountFailures} failures
 * within {@code window}; a client address is refused after {@code maxAddressFailures} failures in
 * the window. Refused binds are answered like a wrong password.
 */
public final class BindThrottle {
    public record Policy(int maxAccountFailures, int maxAddressFailures, Duration window, Duration lockout) {
        public static final Policy DEFAULT = new Policy(5, 50, Duration.ofMinutes(5), Duration.ofMinutes(5));
    }

    public enum Verdict { ALLOWED, ACCOUNT_LOCKED, ADDRESS_LIMITED }

    private final Policy policy;
    private final Clock clock;
    private final Map<String, Deque<Instant>> accountFailures = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> addressFailures = new ConcurrentHashMap<>();
    private final Map<String, Instant> lockedUntil = new ConcurrentHashMap<>();

    public BindThrottle(Policy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    public Verdict check(String accountKey, String address) {
        Instant now = clock.instant();
        Instant until = lockedUntil.get(accountKey);
        if (until != null) {
            if (now.isBefore(until)) return Verdict.ACCOUNT_LOCKED;
            lockedUntil.remove(accountKey, until);
        }
        if (recent(addressFailures.get(address), now) >= policy.maxAddressFailures()) return Verdict.ADDRESS_LIMITED;
        return Verdict.ALLOWED;
    }

    public void failure(String accountKey, String address) {
        Instant now = clock.instant();
        if (record(accountFailures, accountKey, now) >= policy.maxAccountFailures()) {
            lockedUntil.put(accountKey, now.plus(policy.lockout()));
            accountFailures.remove(accountKey);
        }
        record(addressFailures, address, now);
    }

    public void success(String accountKey) {
        accountFailures.remove(accountKey);
    }

    private int record(Map<String, Deque<Instant>> map, String key, Instant now) {
        Deque<Instant> q = map.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(now);
            return recentLocked(q, now);
        }
    }

    private int recent(Deque<Instant> q, Instant now) {
        if (q == null) return 0;
        synchronized (q) {
            return recentLocked(q, now);
        }
    }

    private int recentLocked(Deque<Instant> q, Instant now) {
        Instant cutoff = now.minus(policy.window());
        while (!q.isEmpty() && q.peekFirst().isBefore(cutoff)) q.removeFirst();
        return q.size();
    }
}
