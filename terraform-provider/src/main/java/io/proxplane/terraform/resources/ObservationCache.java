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
 * in flight instead of starting their own; a failed read is not cached.
 */
final class ObservationCache {

    private record Entry(CompletableFuture<SiteObservation> value, Instant at) {
    }

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
        Entry e = entries.compute(site, (k, old) -> old != null && old.at().plus(ttl).isAfter(now)
                && !old.value().isCompletedExceptionally() ? old : new Entry(mine, now));
        if (e.value() == mine) {
            try {
                mine.complete(observe.apply(site));
            } catch (RuntimeException ex) {
                mine.completeExceptionally(ex);
                entries.remove(site, e);
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

    void invalidate(String site) {
        entries.remove(site);
    }
}
