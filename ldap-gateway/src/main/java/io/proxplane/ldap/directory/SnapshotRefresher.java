package io.proxplane.ldap.directory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Keeps the current {@link DirectorySnapshot}: reloads on change notifications (coalesced on one
 * thread) and on a periodic resync, swaps atomically, and keeps serving the last good snapshot when
 * the source is down. Staleness is measured: the age of the oldest change notification the served
 * snapshot does not yet reflect (0 when current). With a {@link SnapshotStore}, every newly loaded
 * directory is also saved to disk, and a start while the source is down serves the saved one
 * (stale from the start) until the source answers.
 */
public final class SnapshotRefresher implements Supplier<DirectorySnapshot>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnapshotRefresher.class);

    private final DirectorySource source;
    private final SnapshotStore store;
    private volatile DirectoryData lastSaved;
    private volatile boolean fromDisk;
    private final DirectoryLayout layout;
    private final Clock clock;
    private final AtomicReference<DirectorySnapshot> current;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean reloadQueued = new AtomicBoolean();
    /** When the first not-yet-applied change was announced; null when the snapshot is current. */
    private final AtomicReference<Instant> pendingSince = new AtomicReference<>();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Timer loadTimer;
    private volatile boolean loadedOnce;
    private volatile String lastError;

    public SnapshotRefresher(DirectorySource source, DirectoryLayout layout, MeterRegistry meters, Clock clock) {
        this(source, null, layout, meters, clock);
    }

    /** @param store where the last good directory is kept on disk, or null for none */
    public SnapshotRefresher(DirectorySource source, SnapshotStore store, DirectoryLayout layout, MeterRegistry meters,
                             Clock clock) {
        this.source = source;
        this.store = store;
        this.layout = layout;
        this.clock = clock;
        this.current = new AtomicReference<>(DirectorySnapshot.empty(layout));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "directory-refresh");
            t.setDaemon(true);
            return t;
        });
        this.loadTimer = Timer.builder("ldap.snapshot.load.duration").register(meters);
        Gauge.builder("ldap.snapshot.staleness.seconds", this, r -> r.staleness().toMillis() / 1000.0).register(meters);
        Gauge.builder("ldap.snapshot.age.seconds", this,
                r -> Duration.between(r.get().loadedAt(), r.clock.instant()).toMillis() / 1000.0).register(meters);
        Gauge.builder("ldap.snapshot.users", this, r -> r.get().userCount()).register(meters);
        Gauge.builder("ldap.snapshot.groups", this, r -> r.get().groupCount()).register(meters);
        Gauge.builder("ldap.snapshot.generation", this, r -> r.get().generation()).register(meters);
        Gauge.builder("ldap.snapshot.load.failures", failures, AtomicLong::get).register(meters);
        Gauge.builder("ldap.snapshot.from.disk", this, r -> r.fromDisk ? 1 : 0).register(meters);
        source.onChange(this::changed);
    }

    /** Loads the first snapshot synchronously (throws if the source fails), then resyncs every {@code resync}. */
    public void start(Duration resync) throws Exception {
        reload();
        if (!loadedOnce) throw new IllegalStateException("initial directory load failed: " + lastError);
        scheduler.scheduleWithFixedDelay(this::resync, resync.toMillis(), resync.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts without requiring the source to be up: serves the snapshot saved on disk if there is
     * one (else an empty directory) until the source answers.
     */
    public void startLenient(Duration resync) {
        reload();
        if (!loadedOnce && store != null) {
            try {
                store.load().ifPresent(saved -> {
                    current.set(DirectorySnapshot.build(saved.data(), layout, saved.loadedAt(), generation.incrementAndGet()));
                    fromDisk = true;
                    log.warn("the directory source is down ({}): serving the snapshot saved at {} from {} ({} users)",
                            lastError, saved.loadedAt(), store.file(), current.get().userCount());
                });
            } catch (java.io.IOException e) {
                log.error("{}", e.getMessage());
            }
        }
        scheduler.scheduleWithFixedDelay(this::resync, resync.toMillis(), resync.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public DirectorySnapshot get() {
        return current.get();
    }

    /** A change notification: queue one reload; notifications during a reload cause one more. */
    public void changed() {
        pendingSince.compareAndSet(null, clock.instant());
        if (reloadQueued.compareAndSet(false, true)) {
            try {
                scheduler.execute(() -> {
                    reloadQueued.set(false);
                    reload();
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                reloadQueued.set(false);
            }
        }
    }

    /** Periodic safety net for lost notifications; does not count as staleness by itself. */
    private void resync() {
        reload();
    }

    /** Reloads now on the caller's thread; used at start-up and by tests. */
    public synchronized void reload() {
        Instant announced = pendingSince.get();
        Instant started = clock.instant();
        try {
            DirectoryData data = loadTimer.recordCallable(source::load);
            DirectorySnapshot next = DirectorySnapshot.build(data, layout, started, generation.incrementAndGet());
            current.set(next);
            loadedOnce = true;
            fromDisk = false;
            save(data, started);
            lastError = null;
            // Only clear staleness the load actually covered: a change announced after it began stays pending.
            if (announced != null) pendingSince.compareAndSet(announced, null);
            if (announced != null && pendingSince.get() != null) changed();
        } catch (Exception e) {
            failures.incrementAndGet();
            lastError = e.toString();
            pendingSince.compareAndSet(null, started);
            log.warn("directory reload failed, still serving generation {}: {}", current.get().generation(), e.toString());
        }
    }

    private void save(DirectoryData data, Instant loadedAt) {
        if (store == null || data.equals(lastSaved)) return;
        try {
            store.save(data, loadedAt);
            lastSaved = data;
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("could not save the directory snapshot to {}: {}", store.file(), e.toString());
        }
    }

    /** True while the served directory came from the disk snapshot, not (yet) from the source. */
    public boolean servingSavedSnapshot() {
        return fromDisk;
    }

    /** A directory is being served: loaded from the source, or the saved snapshot. */
    public boolean hasDirectory() {
        return loadedOnce || fromDisk;
    }

    /** How long the served data may lag behind the source. */
    public Duration staleness() {
        Instant since = pendingSince.get();
        return since == null ? Duration.ZERO : Duration.between(since, clock.instant());
    }

    public boolean loadedOnce() {
        return loadedOnce;
    }

    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
