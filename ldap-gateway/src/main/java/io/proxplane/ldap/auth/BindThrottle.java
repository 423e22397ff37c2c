package io.proxplane.ldap.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guessing limits, kept per gateway replica and judged per account <em>and</em> client address,
 * so that nobody can lock a user (or a container's lookup identity) out by failing on purpose:
 * <ul>
 *   <li>after {@code slowAfter} failures of one account from one address within {@code window},
 *       each further attempt of that pair waits {@code slowDelay} more (1, 2, 3... times, at most 5);</li>
 *   <li>after {@code maxAccountFailures} such failures the pair is locked for {@code lockout}: the
 *       account still binds from every other address;</li>
 *   <li>an address with {@code maxAddressFailures} failures over all accounts in the window is
 *       refused, except for accounts that bound successfully from it within the last day (a
 *       container whose user sprays guesses keeps its name service).</li>
 * </ul>
 * Accounts are keyed by bind DN, existing or not, so a lockout reveals nothing; refused binds are
 * answered like a wrong password. The tables are bounded: at {@link #MAX_TRACKED} keys, expired
 * ones are dropped, then arbitrary ones down to 90% (so the cost is paid once per many inserts).
 */
public final class BindThrottle {
    public static final int MAX_TRACKED = 100_000;
    private static final Duration TRUST = Duration.ofDays(1);
    private static final int MAX_SLOW_STEPS = 5;

    /**
     * @param maxAccountFailures failures of one account from one address before that pair is locked
     * @param maxAddressFailures failures from one address (all accounts) before the address is refused
     * @param window             failures older than this are forgotten
     * @param lockout            how long a pair stays locked
     * @param slowAfter          failures of a pair after which its attempts are delayed
     * @param slowDelay          delay step (ZERO turns slowing off)
     */
    public record Policy(int maxAccountFailures, int maxAddressFailures, Duration window, Duration lockout,
                         int slowAfter, Duration slowDelay) {
        public static final Policy DEFAULT = new Policy(5, 50, Duration.ofMinutes(5), Duration.ofMinutes(5), 3,
                Duration.ofSeconds(1));

        public Policy {
            if (maxAccountFailures < 1) throw new IllegalArgumentException("lockout failures must be at least 1, got " + maxAccountFailures);
            if (maxAddressFailures < 1) throw new IllegalArgumentException("address failures must be at least 1, got " + maxAddressFailures);
            if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("failure window must be positive, got " + window);
            if (lockout.isNegative() || lockout.isZero()) throw new IllegalArgumentException("lockout duration must be positive, got " + lockout);
            if (slowAfter < 1) throw new IllegalArgumentException("slow-after must be at least 1, got " + slowAfter);
            if (slowDelay.isNegative()) throw new IllegalArgumentException("slow delay must not be negative, got " + slowDelay);
        }

        public Policy(int maxAccountFailures, int maxAddressFailures, Duration window, Duration lockout) {
            this(maxAccountFailures, maxAddressFailures, window, lockout, DEFAULT.slowAfter, DEFAULT.slowDelay);
        }
    }

    public enum Kind { ALLOWED, ACCOUNT_LOCKED, ADDRESS_LIMITED }

    /** The verdict, and how long an allowed attempt must wait first. */
    public record Verdict(Kind kind, Duration delay) {
        static final Verdict LOCKED = new Verdict(Kind.ACCOUNT_LOCKED, Duration.ZERO);
        static final Verdict LIMITED = new Verdict(Kind.ADDRESS_LIMITED, Duration.ZERO);
    }

    private final Policy policy;
    private final Clock clock;
    private final Map<String, Deque<Instant>> pairFailures = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> addressFailures = new ConcurrentHashMap<>();
    private final Map<String, Instant> lockedUntil = new ConcurrentHashMap<>();
    private final Map<String, Instant> trustedUntil = new ConcurrentHashMap<>();

    public BindThrottle(Policy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    private static String pair(String accountKey, String address) {
        return accountKey + '\u0000' + address;
    }

    public Verdict check(String accountKey, String address) {
        Instant now = clock.instant();
        String pair = pair(accountKey, address);
        Instant until = lockedUntil.get(pair);
        if (until != null) {
            if (now.isBefore(until)) return Verdict.LOCKED;
            lockedUntil.remove(pair, until);
        }
        if (recent(addressFailures.get(address), now) >= policy.maxAddressFailures() && !trusted(pair, now)) {
            return Verdict.LIMITED;
        }
        int failures = recent(pairFailures.get(pair), now);
        if (failures < policy.slowAfter() || policy.slowDelay().isZero()) return new Verdict(Kind.ALLOWED, Duration.ZERO);
        long steps = Math.min(MAX_SLOW_STEPS, failures - policy.slowAfter() + 1);
        return new Verdict(Kind.ALLOWED, policy.slowDelay().multipliedBy(steps));
    }

    public void failure(String accountKey, String address) {
        Instant now = clock.instant();
        String pair = pair(accountKey, address);
        if (record(pairFailures, pair, now) >= policy.maxAccountFailures()) {
            bound(lockedUntil, now);
            lockedUntil.put(pair, now.plus(policy.lockout()));
            pairFailures.remove(pair);
        }
        record(addressFailures, address, now);
    }

    public void success(String accountKey, String address) {
        Instant now = clock.instant();
        String pair = pair(accountKey, address);
        pairFailures.remove(pair);
        bound(trustedUntil, now);
        trustedUntil.put(pair, now.plus(TRUST));
    }

    /** Keys held over all tables (tests: the tables stay bounded). */
    public int trackedKeys() {
        return pairFailures.size() + addressFailures.size() + lockedUntil.size() + trustedUntil.size();
    }

    private boolean trusted(String pair, Instant now) {
        Instant until = trustedUntil.get(pair);
        return until != null && now.isBefore(until);
    }

    private int record(Map<String, Deque<Instant>> map, String key, Instant now) {
        if (!map.containsKey(key)) boundFailures(map, now);
        Deque<Instant> q = map.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(now);
            // A pair or an address never needs more entries than its limit to be judged.
            while (q.size() > Math.max(policy.maxAccountFailures(), policy.maxAddressFailures())) q.removeFirst();
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

    /** Before adding a key to a full failure table: drop what the window forgot, then anything. */
    private void boundFailures(Map<String, Deque<Instant>> map, Instant now) {
        if (map.size() < MAX_TRACKED) return;
        map.entrySet().removeIf(e -> recent(e.getValue(), now) == 0);
        evict(map);
    }

    private static void bound(Map<String, Instant> map, Instant now) {
        if (map.size() < MAX_TRACKED) return;
        map.values().removeIf(until -> !now.isBefore(until));
        evict(map);
    }

    private static void evict(Map<String, ?> map) {
        Iterator<String> it = map.keySet().iterator();
        while (map.size() > MAX_TRACKED * 9 / 10 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
