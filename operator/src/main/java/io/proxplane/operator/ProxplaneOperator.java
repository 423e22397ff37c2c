package io.proxplane.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.proxplane.core.engine.Engine;
import io.proxplane.operator.reconcile.ContainerReconciler;
import io.proxplane.operator.reconcile.ContainerServiceReconciler;
import io.proxplane.operator.reconcile.EventRecorder;
import io.proxplane.operator.reconcile.ExternalDomainReconciler;
import io.proxplane.operator.reconcile.DirectoryServiceAccountReconciler;
import io.proxplane.operator.reconcile.GroupReconciler;
import io.proxplane.operator.reconcile.OperatorContext;
import io.proxplane.operator.reconcile.PoolReconciler;
import io.proxplane.operator.reconcile.SiteFanout;
import io.proxplane.operator.reconcile.SiteReconciler;
import io.proxplane.operator.reconcile.UserReconciler;
import io.proxplane.operator.secrets.SecretCredentials;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The JOSDK operator with the seven reconcilers over one engine. Used by {@link Main} and, with
 * the fabric8 mock server's client, by the tests, so both run the same wiring.
 *
 * <p>Primary resources are patched without Server-Side Apply: status patches send a fresh object
 * with only the status, and a single leader writes them, so SSA's field ownership buys nothing
 * (and the mock server the tests use does not speak it). See docs/decisions/0032.
 */
public final class ProxplaneOperator implements AutoCloseable {

    /**
     * @param watchNamespaces namespaces for Containers and ContainerServices; empty = all
     * @param leaderElection  null for none
     * @param threads         concurrent reconciles (each may wait for a Proxmox task)
     */
    public record Settings(Set<String> watchNamespaces, String ownNamespace, LeaseElector.Settings leaderElection,
                           Duration resyncInterval, Duration retryCap, Duration slowRetry, String instance, int threads) {
        public static Settings of(OperatorConfig c, LeaseElector.Settings le) {
            return new Settings(c.watchNamespaces(), c.podNamespace(), le, c.resyncInterval(), Duration.ofMinutes(5),
                    Duration.ofMinutes(5), c.identity() == null ? "proxplane-operator" : c.identity(), 10);
        }

        /** All namespaces, or the watched ones plus the operator's own (Secrets of cluster-scoped kinds). */
        Set<String> secretNamespaces() {
            if (watchNamespaces.isEmpty()) return Set.of();
            Set<String> out = new java.util.TreeSet<>(watchNamespaces);
            if (ownNamespace != null) out.add(ownNamespace);
            return Set.copyOf(out);
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProxplaneOperator.class);

    private final Operator operator;
    private final Engine engine;
    private final LeaseElector elector;
    private final SiteFanout fanout = new SiteFanout();
    private volatile java.util.function.Consumer<String> onLeadershipLost = why -> { };
    // guarded by this: the JOSDK operator runs only between an accepted Lease write and the loss or close
    private boolean operatorStarted;
    private boolean stopped;

    public ProxplaneOperator(KubernetesClient client, Engine engine, SecretCredentials credentials, MeterRegistry meters,
                             Settings settings, Clock clock) {
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withCloseClientOnStop(false)
                    // reading CRDs would need RBAC on apiextensions; the chart installs crds/ as built
                    .checkingCRDAndValidateLocalModel(false)
                    .withConcurrentReconciliationThreads(settings.threads())
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(meters));
            // no JOSDK leader election: LeaseElector starts the operator only after an accepted Lease write
        });
        this.engine = engine;
        this.elector = settings.leaderElection() == null ? null : new LeaseElector(client, settings.leaderElection(),
                new LeaseElector.Listener() {
                    @Override
                    public void startedLeading() {
                        startOperator();
                    }

                    @Override
                    public void stoppedLeading(String why) {
                        stopReconciling("lost the Lease: " + why);
                        onLeadershipLost.accept(why);
                    }
                });
        var events = new EventRecorder(client, settings.instance(), clock);
        var op = new OperatorContext(engine, credentials, events, fanout, meters, clock, settings.resyncInterval(),
                settings.retryCap(), settings.slowRetry(), settings.watchNamespaces(), settings.secretNamespaces());
        register(new SiteReconciler(op, credentials), Set.of());
        register(new ExternalDomainReconciler(op), Set.of());
        register(new PoolReconciler(op), settings.watchNamespaces());
        register(new UserReconciler(op), Set.of());
        register(new GroupReconciler(op), Set.of());
        register(new DirectoryServiceAccountReconciler(op), Set.of());
        register(new ContainerReconciler(op), settings.watchNamespaces());
        register(new ContainerServiceReconciler(op), settings.watchNamespaces());
    }

    private <P extends io.fabric8.kubernetes.api.model.HasMetadata> void register(Reconciler<P> r, Set<String> namespaces) {
        if (namespaces.isEmpty()) {
            operator.register(r);
        } else {
            operator.register(r, o -> o.settingNamespaces(namespaces));
        }
    }

    /** Called (once, on the elector's thread) after reconciling stopped because the Lease was lost. */
    public void onLeadershipLost(java.util.function.Consumer<String> action) {
        this.onLeadershipLost = action;
    }

    /** Starts reconciling now (no leader election) or campaigns for the Lease. */
    public void start() {
        if (elector == null) startOperator();
        else elector.start();
    }

    private synchronized void startOperator() {
        if (stopped || operatorStarted) return;
        operator.start();
        operatorStarted = true;
    }

    /**
     * Engine waits (Proxmox tasks, back-offs) end at once, before taking the lock a still starting
     * operator may hold; JOSDK then stops its controllers and waits for running reconciles.
     */
    private void stopReconciling(String why) {
        int cancelled = engine.cancelInFlight("interrupted: " + why);
        synchronized (this) {
            stopped = true;
            if (!operatorStarted) return;
            LOG.info("stopping reconciles ({}; {} engine operation(s) in progress cancelled)", why, cancelled);
            operator.stop();
            operatorStarted = false;
        }
    }

    /** Null without leader election. */
    public LeaseElector elector() {
        return elector;
    }

    /** Waiting for the Lease (leader election on, not leading yet). */
    public boolean passive() {
        return elector != null && elector.state() == LeaseElector.State.CANDIDATE;
    }

    public Operator operator() {
        return operator;
    }

    public SiteFanout fanout() {
        return fanout;
    }

    /** Stops reconciling, then releases the Lease if this replica holds it (the next leader need not wait it out). */
    @Override
    public void close() {
        synchronized (this) {
            stopped = true;
            if (operatorStarted) {
                operator.stop();
                operatorStarted = false;
            }
        }
        if (elector != null) elector.close();
    }
}
