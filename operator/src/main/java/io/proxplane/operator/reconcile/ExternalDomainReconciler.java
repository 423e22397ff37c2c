package io.proxplane.operator.reconcile;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.proxplane.core.engine.Action;
import io.proxplane.operator.api.ExternalDomain;
import io.proxplane.operator.api.ExternalDomainStatus;
import io.proxplane.operator.api.Site;
import io.proxplane.operator.mapping.SpecMapper;
import io.proxplane.operator.mapping.StatusMapper;

import java.util.List;

/** External domains: registry rows the edge agent renders. Woken by its default Site changing. */
@ControllerConfiguration(name = "externaldomain", finalizerName = ContainerReconciler.FINALIZER)
public final class ExternalDomainReconciler extends EngineReconciler<ExternalDomain, ExternalDomainStatus> {

    public ExternalDomainReconciler(OperatorContext op) {
        super(op);
    }

    @Override
    protected Applied<ExternalDomainStatus> apply(ExternalDomain r, Context<ExternalDomain> context) {
        var result = op.engine().externalDomains().apply(Claims.of(r), SpecMapper.externalDomain(r));
        var applied = new Applied<>(StatusMapper.externalDomain(new ExternalDomainStatus(), result.status()),
                result.actions().stream().map(Action::toString).toList(),
                "registered" + (result.status().authServerUrl() == null ? "" : " with auth server " + result.status().authServerUrl())
                        + (result.status().certificatePending() ? "; waiting for the edge's ACME certificate" : ""));
        // the edge obtains ACME certificates after this: look again soon while one is pending,
        // then at the periodic resync (renewals)
        if (result.status().acme()) {
            return applied.withRecheck(result.status().certificatePending() ? java.time.Duration.ofMinutes(1) : op.resyncInterval());
        }
        return applied;
    }

    @Override
    protected List<String> delete(ExternalDomain r, Context<ExternalDomain> context) {
        return op.engine().externalDomains().delete(Claims.of(r), r.getMetadata().getName()).actions().stream()
                .map(Action::toString).toList();
    }

    @Override
    public List<EventSource<?, ExternalDomain>> prepareEventSources(EventSourceContext<ExternalDomain> ctx) {
        return List.of(References.byIndex(ctx, Site.class, op.namespaces(), "bySite",
                (ExternalDomain d) -> d.getSpec() == null || d.getSpec().site == null ? null : List.of(d.getSpec().site)));
    }

    @Override
    protected ExternalDomainStatus newStatus() {
        return new ExternalDomainStatus();
    }

    @Override
    protected ExternalDomain newResource() {
        return new ExternalDomain();
    }
}
