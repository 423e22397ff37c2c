package io.proxplane.operator.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.proxplane.core.engine.Action;
import io.proxplane.core.engine.SiteConverger;
import io.proxplane.core.engine.SiteObservation;
import io.proxplane.operator.api.Site;
import io.proxplane.operator.api.SiteStatus;
import io.proxplane.operator.mapping.SpecMapper;
import io.proxplane.operator.mapping.StatusMapper;
import io.proxplane.operator.secrets.SecretCredentials;

import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sites. Every reconcile is the site's bulk poll: register/refresh the site (nodes), then
 * {@code engine.resync} (one {@code /cluster/resources} read per cluster, drift corrected,
 * interrupted operations finished, orphans destroyed) and hand the observation to the Container
 * reconciler. It reschedules itself every {@code PROXPLANE_RESYNC_INTERVAL}: one poll per site,
 * not per container. A change of its credentials Secret requeues it and drops the cached client.
 */
@ControllerConfiguration(name = "site", finalizerName = ContainerReconciler.FINALIZER)
public final class SiteReconciler extends EngineReconciler<Site, SiteStatus> {
    static final String BY_SECRET = "bySecret";
    private final SecretCredentials credentials;

    public SiteReconciler(OperatorContext op, SecretCredentials credentials) {
        super(op);
        this.credentials = credentials;
    }

    @Override
    protected Applied<SiteStatus> apply(Site r, Context<Site> context) {
        var spec = SpecMapper.site(r);
        for (int i = 0; i < r.getSpec().proxmoxEndpoints.size(); i++) {
            var e = r.getSpec().proxmoxEndpoints.get(i);
            // a rotated token must reach the client: the engine keeps one client per endpoint
            credentials.check("spec.proxmoxEndpoints[" + i + "].credentialsSecretRef", e.url, e.credentialsSecretRef)
                    .ifPresent(url -> op.engine().forgetProxmoxClient(url));
        }
        String name = r.getMetadata().getName();
        SiteConverger.Result applied;
        SiteObservation observation;
        long started = System.nanoTime();
        try {
            applied = op.engine().sites().apply(Claims.of(r), spec);
            observation = op.engine().resync(name);
            poll(name, "ok", started);
        } catch (RuntimeException e) {
            poll(name, "failed", started);
            op.fanout().failed(name);
            throw e;
        }
        op.fanout().observed(name, observation);
        SiteStatus status = StatusMapper.site(new SiteStatus(), applied.status(), observation, Instant.now(op.clock()));
        List<String> actions = new ArrayList<>(applied.actions().stream().map(Action::toString).toList());
        observation.actions().forEach(a -> actions.add(a.toString()));
        String message = status.onlineNodes.size() + "/" + status.nodes.size() + " nodes online, " + status.containers
                + " containers" + (status.drifted > 0 ? ", " + status.drifted + " drifted (corrected)" : "")
                + (status.orphanVmids != null ? ", orphans destroyed: " + status.orphanVmids : "");
        return new Applied<>(status, actions, message);
    }

    /** Sites are few, so a per-site tag is affordable and tells which cluster is slow or down. */
    private void poll(String site, String outcome, long startedNanos) {
        Timer.builder("proxplane.operator.site.poll").description("bulk poll of a site's Proxmox clusters (register + resync)")
                .tag("site", site).tag("outcome", outcome).register(op.meters())
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    protected Optional<Duration> periodic(Site resource) {
        return Optional.of(op.resyncInterval());
    }

    @Override
    protected List<String> delete(Site r, Context<Site> context) {
        return op.engine().sites().delete(Claims.of(r), r.getMetadata().getName()).actions().stream()
                .map(Action::toString).toList();
    }

    @Override
    public List<EventSource<?, Site>> prepareEventSources(EventSourceContext<Site> ctx) {
        return List.of(References.byIndex(ctx, Secret.class, op.secretNamespaces(), BY_SECRET, (Site s) -> s.getSpec() == null
                || s.getSpec().proxmoxEndpoints == null ? null : s.getSpec().proxmoxEndpoints.stream()
                .filter(e -> e != null && e.credentialsSecretRef != null)
                .map(e -> e.credentialsSecretRef.namespace + "/" + e.credentialsSecretRef.name).toList()));
    }

    @Override
    protected SiteStatus newStatus() {
        return new SiteStatus();
    }

    @Override
    protected Site newResource() {
        return new Site();
    }
}
