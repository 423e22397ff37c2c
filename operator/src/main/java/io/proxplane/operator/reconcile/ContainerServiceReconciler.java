package io.proxplane.operator.reconcile;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.proxplane.core.engine.Action;
import io.proxplane.operator.api.Container;
import io.proxplane.operator.api.ContainerService;
import io.proxplane.operator.api.ContainerServiceStatus;
import io.proxplane.operator.api.ExternalDomain;
import io.proxplane.operator.mapping.SpecMapper;
import io.proxplane.operator.mapping.StatusMapper;

import io.proxplane.operator.mapping.EdgeProgress;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Services of a Container in the same namespace; the site is the Container's. Woken by the
 * Container changing (e.g. becoming Ready) and by the ExternalDomain of an HTTP service.
 */
@ControllerConfiguration(name = "containerservice", finalizerName = ContainerReconciler.FINALIZER)
public final class ContainerServiceReconciler extends EngineReconciler<ContainerService, ContainerServiceStatus> {
    /** How often a service whose route the edge does not serve yet looks again (registry reads only). */
    static final Duration EDGE_RECHECK = Duration.ofSeconds(10);
    /** Slower while the site has no edge agent at all (an install without the edge). */
    static final Duration NO_EDGE_RECHECK = Duration.ofMinutes(2);

    public ContainerServiceReconciler(OperatorContext op) {
        super(op);
    }

    @Override
    protected Applied<ContainerServiceStatus> apply(ContainerService r, Context<ContainerService> context) {
        Container container = context.getSecondaryResource(Container.class).orElseThrow(() -> new MissingReferenceException(
                "spec.container: Container " + r.getMetadata().getNamespace() + "/" + (r.getSpec() == null ? null : r.getSpec().container)
                        + " does not exist"));
        if (container.getSpec() == null || container.getSpec().site == null) {
            throw new MissingReferenceException("spec.container: Container " + container.getMetadata().getName() + " names no site");
        }
        var result = op.engine().services().apply(Claims.of(r), SpecMapper.service(r, container.getSpec().site));
        ContainerServiceStatus status = StatusMapper.service(new ContainerServiceStatus(), result.status());
        String message = status.url != null ? status.url : status.fqdn;
        EdgeProgress edge = edgeProgress(result.status().id());
        return new Applied<>(status, result.actions().stream().map(Action::toString).toList(), message,
                List.of(new Applied.Extra(EdgeProgress.TYPE, edge.applied(), edge.reason(), edge.message())),
                edge.applied() ? Optional.empty() : Optional.of(edge.reason().equals("NoEdgeAgent") ? NO_EDGE_RECHECK : EDGE_RECHECK));
    }

    /** Registry reads only: the service row's revision against what the site's edge agents report. */
    private EdgeProgress edgeProgress(long serviceId) {
        var registry = op.engine().registry();
        var row = registry.services().get(serviceId).orElseThrow(() -> new MissingReferenceException(
                "service row " + serviceId + " vanished while reconciling"));
        return EdgeProgress.of(row.meta().revision(), registry.edgeAgents().listBySite(row.siteId()));
    }

    @Override
    protected List<String> delete(ContainerService r, Context<ContainerService> context) {
        String containerName = r.getSpec() == null ? null : r.getSpec().container;
        // the site from the Container, or from our own status when the Container is already gone
        String site = context.getSecondaryResource(Container.class).map(c -> c.getSpec() == null ? null : c.getSpec().site)
                .orElse(r.getStatus() == null ? null : r.getStatus().site);
        if (site == null || containerName == null) return List.of();
        return op.engine().services().delete(Claims.of(r), site, containerName, r.getMetadata().getName()).actions()
                .stream().map(Action::toString).toList();
    }

    @Override
    public List<EventSource<?, ContainerService>> prepareEventSources(EventSourceContext<ContainerService> ctx) {
        var containers = References.byIndex(ctx, Container.class, op.namespaces(), "byContainer", (ContainerService s) ->
                s.getSpec() == null || s.getSpec().container == null ? null
                        : List.of(s.getMetadata().getNamespace() + "/" + s.getSpec().container));
        var domains = References.byIndex(ctx, ExternalDomain.class, op.namespaces(), "byDomain", (ContainerService s) ->
                s.getSpec() == null || s.getSpec().http == null || s.getSpec().http.domain == null ? null
                        : List.of(s.getSpec().http.domain));
        return List.of(containers, domains);
    }

    @Override
    protected ContainerServiceStatus newStatus() {
        return new ContainerServiceStatus();
    }

    @Override
    protected ContainerService newResource() {
        return new ContainerService();
    }
}
