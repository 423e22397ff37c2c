package io.proxplane.terraform.resources;

import io.proxplane.core.engine.SiteObservation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One bulk observation per site shared by every ReadResource of a refresh. Terraform refreshes
 * resources concurrently (10 at a time by default), so concurrent callers wait for the one read
 * in flight instead of starting their own. A failure is kept for a few seconds only: long enough
 * that a refresh of 200 containers against an unreachable cluster makes one attempt (each with
 * the engine's retries) instead of 200, short enough that the next command tries again.
 */
final class ObservationCache {

    private record Entry(CompletableFuture<SiteObservation> value, Instant at) {
    }

    static final Duration FAILURE_TTL = Duration.ofSeconds(5);

    private final Function<String, SiteObservation> observe;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    ObservationCache(Function<String, SiteObservation> observe, Duration ttl, Clock clock) {
        this.observe = observe;
        this.ttl = ttl;
        this.clock = clock;
    }

    SiteObservation get(String site) {
        Instant now = clock.instant();
        CompletableFuture<SiteObservation> mine = new CompletableFuture<>();
        Entry e = entries.compute(site, (k, old) -> old != null && fresh(old, now) ? old : new Entry(mine, now));
        if (e.value() == mine) {
            try {
                mine.complete(observe.apply(site));
            } catch (RuntimeException ex) {
                mine.completeExceptionally(ex);
            }
        }
        try {
            return e.value().join();
        } catch (CompletionException ex) {
            if (ex.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw ex;
        }
    }

    private boolean fresh(Entry e, Instant now) {
        Duration keep = e.value().isCompletedExceptionally() ? FAILURE_TTL : ttl;
        return e.at().plus(keep).isAfter(now);
    }

    void invalidate(String site) {
        entries.remove(site);
    }
}
