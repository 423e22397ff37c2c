package io.proxplane.terraform.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proxplane.core.engine.EngineException;
import io.proxplane.core.engine.SiteObservation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ObservationCacheTest {

    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-04T18:00:00Z"));
    final Clock clock = new Clock() {
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now.get();
        }
    };
    final AtomicInteger reads = new AtomicInteger();

    static SiteObservation observation(String site) {
        return new SiteObservation(site, List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void concurrentReadersShareOneObservation() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ObservationCache cache = new ObservationCache(site -> {
            reads.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return observation(site);
        }, Duration.ofSeconds(30), clock);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<SiteObservation>> all = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                all.add(pool.submit(() -> cache.get("lab")));
            }
            Thread.sleep(100); // let every reader reach the cache while the first read is held
            release.countDown();
            SiteObservation first = all.get(0).get();
            for (Future<SiteObservation> f : all) {
                assertThat(f.get()).isSameAs(first);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(reads).hasValue(1);
    }

    @Test
    void expiresAfterTheTtlAndWhenInvalidated() {
        ObservationCache cache = new ObservationCache(site -> {
            reads.incrementAndGet();
            return observation(site);
        }, Duration.ofSeconds(30), clock);
        cache.get("lab");
        cache.get("lab");
        cache.get("other");
        assertThat(reads).hasValue(2);
        now.set(now.get().plusSeconds(31));
        cache.get("lab");
        assertThat(reads).hasValue(3);
        cache.invalidate("lab");
        cache.get("lab");
        assertThat(reads).hasValue(4);
    }

    @Test
    void aFailureIsSharedBrieflyThenRetried() {
        ObservationCache cache = new ObservationCache(site -> {
            reads.incrementAndGet();
            throw new EngineException(EngineException.Kind.PROXMOX_UNAVAILABLE, "cluster down", "try later");
        }, Duration.ofSeconds(30), clock);
        assertThatThrownBy(() -> cache.get("lab")).isInstanceOf(EngineException.class).hasMessageContaining("cluster down");
        assertThatThrownBy(() -> cache.get("lab")).isInstanceOf(EngineException.class);
        assertThat(reads).hasValue(1);
        now.set(now.get().plus(ObservationCache.FAILURE_TTL).plusMillis(1));
        assertThatThrownBy(() -> cache.get("lab")).isInstanceOf(EngineException.class);
        assertThat(reads).hasValue(2);
    }
}
