package io.proxplane.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Leader election on a coordination.k8s.io Lease, with the guarantees fabric8's {@code LeaderElector}
 * lacks (it starts leading as soon as it <em>reads</em> a Lease naming its identity, and without an
 * accepted renewal it never reaches its deadline):
 * <ul>
 *   <li>leading starts only after a create or update of the Lease that the API server accepted;</li>
 *   <li>a leader stops ({@link Listener#stoppedLeading}) when no renewal was accepted for
 *       {@code renewDeadline}, measured from the moment the last accepted renewal was sent and
 *       checked by a timer of its own (a hanging request does not delay it), so before the Lease
 *       that renewal wrote expires ({@code renewDeadline < leaseDuration}); leadership lost is
 *       final: the replica exits and Kubernetes restarts it as a candidate;</li>
 *   <li>{@link #close()} releases a Lease it holds (empty holder), so a rolling restart's next
 *       leader does not wait out the lease;</li>
 *   <li>a refused request costs one log line (repeats of the same refusal once a minute), never a
 *       stack trace.</li>
 * </ul>
 * Another holder's Lease counts as expired when it has not changed for its {@code leaseDurationSeconds}
 * <em>as observed here</em> (as client-go does), so clock skew between replicas does not matter.
 * The Lease is written with update (PUT, carrying the resourceVersion read, so a concurrent writer
 * gets a conflict): RBAC get, create and update on leases.
 */
public final class LeaseElector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseElector.class);
    private static final Duration REPEAT_LOG = Duration.ofMinutes(1);

    /** Timings as client-go's defaults: 15 s lease, 10 s renew deadline, 2 s between attempts. */
    public record Settings(String namespace, String name, String identity, Duration leaseDuration, Duration renewDeadline,
                           Duration retryPeriod) {
        public Settings {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(identity, "identity");
            if (leaseDuration.toSeconds() < 1 || renewDeadline.compareTo(leaseDuration) >= 0 || retryPeriod.compareTo(renewDeadline) >= 0) {
                throw new IllegalArgumentException("need retryPeriod < renewDeadline < leaseDuration (whole seconds, at least 1): "
                        + retryPeriod + ", " + renewDeadline + ", " + leaseDuration);
            }
        }

        public static Settings of(String namespace, String name, String identity) {
            return new Settings(namespace, name, identity, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
        }

        String describe() {
            return "Lease " + namespace + "/" + name;
        }
    }

    /** Called on the elector's threads; {@code startedLeading} may take its time (renewals go on meanwhile). */
    public interface Listener {
        void startedLeading();

        /** Leadership is lost for good (renewals refused or a conflict with another holder). */
        void stoppedLeading(String why);
    }

    public enum State { CANDIDATE, LEADING, LOST, CLOSED }

    private final KubernetesClient client;
    private final Settings settings;
    private final Listener listener;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "lease-elector");
        t.setDaemon(true);
        return t;
    });

    // guarded by this
    private State state = State.CANDIDATE;
    private long renewedAtNanos;
    private ScheduledFuture<?> deadline;
    private Instant stoppedAt;
    private String holder;
    // the other holder's Lease as last seen, and when it last changed (local monotonic clock)
    private String observedVersion;
    private long observedAtNanos;
    private String lastProblem;
    private long lastProblemLoggedNanos;

    public LeaseElector(KubernetesClient client, Settings settings, Listener listener) {
        this.client = client;
        this.settings = settings;
        this.listener = listener;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::attempt, 0, settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized State state() {
        return state;
    }

    /** The holder as last read (null: none or not read yet). */
    public synchronized String holder() {
        return holder;
    }

    /** When this replica stopped leading (null while it has not). */
    public synchronized Instant stoppedAt() {
        return stoppedAt;
    }

    public Settings settings() {
        return settings;
    }

    private void attempt() {
        synchronized (this) {
            if (state == State.LOST || state == State.CLOSED) return;
        }
        long sentAt = System.nanoTime();
        boolean renewed;
        try {
            renewed = tryAcquireOrRenew();
            synchronized (this) {
                lastProblem = null;
            }
        } catch (KubernetesClientException e) {
            renewed = false;
            problem(brief(e));
        } catch (RuntimeException e) {
            renewed = false;
            problem(e.toString());
        }
        boolean start = false;
        synchronized (this) {
            if (state == State.LOST || state == State.CLOSED) return;
            if (renewed) {
                renewedAtNanos = sentAt;
                if (deadline != null) deadline.cancel(false);
                long left = settings.renewDeadline().toNanos() - (System.nanoTime() - sentAt);
                deadline = timer.schedule(this::checkDeadline, Math.max(0, left), TimeUnit.NANOSECONDS);
                if (state == State.CANDIDATE) {
                    state = State.LEADING;
                    start = true;
                }
            } else if (state == State.LEADING && !Objects.equals(holder, settings.identity())) {
                lose("the Lease names " + holder);
                return;
            }
        }
        if (start) {
            LOG.info("leading: {} is held by {}", settings.describe(), settings.identity());
            // starting the operator takes a while (informers sync); renewals must go on meanwhile
            Thread.ofPlatform().name("lease-leading").daemon().start(listener::startedLeading);
        }
    }

    private void checkDeadline() {
        synchronized (this) {
            if (state != State.LEADING || System.nanoTime() - renewedAtNanos < settings.renewDeadline().toNanos()) return;
        }
        lose("no renewal accepted for " + settings.renewDeadline().toSeconds() + " s");
    }

    private void lose(String why) {
        synchronized (this) {
            if (state != State.LEADING) return;
            state = State.LOST;
            stoppedAt = Instant.now();
            if (deadline != null) deadline.cancel(false);
        }
        LOG.error("stopped leading: {} ({})", settings.describe(), why);
        timer.shutdown();
        listener.stoppedLeading(why);
    }

    private synchronized void problem(String what) {
        if (state == State.CLOSED) return; // close() interrupted the request
        long now = System.nanoTime();
        if (what.equals(lastProblem) && now - lastProblemLoggedNanos < REPEAT_LOG.toNanos()) return;
        lastProblem = what;
        lastProblemLoggedNanos = now;
        LOG.warn("cannot {} {}: {}", state == State.LEADING ? "renew" : "acquire", settings.describe(), what);
    }

    /** True when this replica holds the Lease after a write the API server accepted just now. */
    private boolean tryAcquireOrRenew() {
        var leases = client.leases().inNamespace(settings.namespace());
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        int seconds = (int) settings.leaseDuration().toSeconds();
        Lease current = leases.withName(settings.name()).get();
        if (current == null) {
            leases.resource(new LeaseBuilder().withNewMetadata().withName(settings.name()).withNamespace(settings.namespace())
                    .endMetadata().withNewSpec().withHolderIdentity(settings.identity()).withLeaseDurationSeconds(seconds)
                    .withAcquireTime(now).withRenewTime(now).withLeaseTransitions(0).endSpec().build()).create();
            observe(settings.identity(), null);
            return true;
        }
        LeaseSpec spec = current.getSpec() == null ? new LeaseSpec() : current.getSpec();
        String held = spec.getHolderIdentity() == null || spec.getHolderIdentity().isEmpty() ? null : spec.getHolderIdentity();
        boolean mine = settings.identity().equals(held);
        observe(held, current.getMetadata().getResourceVersion());
        if (held != null && !mine && !expired(spec)) return false;
        int transitions = spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions();
        Lease next = new LeaseBuilder(current).editOrNewSpec().withHolderIdentity(settings.identity()).withLeaseDurationSeconds(seconds)
                .withRenewTime(now).withAcquireTime(mine && spec.getAcquireTime() != null ? spec.getAcquireTime() : now)
                .withLeaseTransitions(mine ? transitions : transitions + 1).endSpec().build();
        leases.resource(next).update();
        observe(settings.identity(), null);
        return true;
    }

    private synchronized void observe(String newHolder, String version) {
        if (!Objects.equals(newHolder, holder)) {
            LOG.info("{}: holder {}", settings.describe(), newHolder == null ? "none" : newHolder);
            holder = newHolder;
        }
        if (version == null || !version.equals(observedVersion)) {
            observedVersion = version;
            observedAtNanos = System.nanoTime();
        }
    }

    private synchronized boolean expired(LeaseSpec spec) {
        int seconds = spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds();
        return System.nanoTime() - observedAtNanos > TimeUnit.SECONDS.toNanos(seconds);
    }

    /**
     * Stops campaigning and, if this replica leads, releases the Lease (empty holder, 1 s duration):
     * call it after reconciling stopped. A failed release is logged; the Lease then expires.
     */
    @Override
    public void close() {
        boolean release;
        synchronized (this) {
            if (state == State.CLOSED) return;
            release = state == State.LEADING;
            if (release) stoppedAt = Instant.now();
            state = State.CLOSED;
            if (deadline != null) deadline.cancel(false);
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!release) return;
        try {
            var leases = client.leases().inNamespace(settings.namespace());
            Lease current = leases.withName(settings.name()).get();
            if (current == null || current.getSpec() == null || !settings.identity().equals(current.getSpec().getHolderIdentity())) return;
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            leases.resource(new LeaseBuilder(current).editSpec().withHolderIdentity(null).withLeaseDurationSeconds(1)
                    .withAcquireTime(now).withRenewTime(now).endSpec().build()).update();
            LOG.info("released {}", settings.describe());
        } catch (KubernetesClientException e) {
            LOG.warn("cannot release {}: {}", settings.describe(), brief(e));
        }
    }

    /** One line: the HTTP status and the API server's message (no stack trace). */
    static String brief(KubernetesClientException e) {
        if (e.getCode() == 0 || e.getStatus() == null) {
            return e.getCause() != null ? e.getCause().toString() : String.valueOf(e.getMessage());
        }
        return e.getCode() + " " + e.getStatus().getReason() + ": " + e.getStatus().getMessage();
    }
}
