package io.proxplane.operator.reconcile;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.proxplane.core.engine.Action;
import io.proxplane.operator.api.Container;
import io.proxplane.operator.api.Pool;
import io.proxplane.operator.api.PoolStatus;
import io.proxplane.operator.mapping.SpecMapper;
import io.proxplane.operator.mapping.StatusMapper;

import java.util.List;
import java.util.Set;

/**
 * Pools: quotas in the registry, the Proxmox pool and its ACL grants on every cluster. Woken by
 * Containers naming the pool, so the usage in status follows them.
 */
@ControllerConfiguration(name = "pool", finalizerName = ContainerReconciler.FINALIZER)
public final class PoolReconciler extends EngineReconciler<Pool, PoolStatus> {

    public PoolReconciler(OperatorContext op) {
        super(op);
    }

    @Override
    protected Applied<PoolStatus> apply(Pool r, Context<Pool> context) {
        var result = op.engine().pools().apply(Claims.of(r), SpecMapper.pool(r));
        PoolStatus status = StatusMapper.pool(new PoolStatus(), result.status());
        return new Applied<>(status, result.actions().stream().map(Action::toString).toList(),
                status.containers + " containers, " + status.cores + " cores, " + status.memoryMb + " MiB, " + status.diskGb + " GiB");
    }

    @Override
    protected List<String> delete(Pool r, Context<Pool> context) {
        return op.engine().pools().delete(Claims.of(r), r.getMetadata().getName()).actions().stream()
                .map(Action::toString).toList();
    }

    @Override
    public List<EventSource<?, Pool>> prepareEventSources(EventSourceContext<Pool> ctx) {
        // a Container names its pool by the pool's global name, whatever namespace the Pool is in
        ctx.getPrimaryCache().addIndexer("byName", p -> List.of(p.getMetadata().getName()));
        var builder = InformerEventSourceConfiguration.from(Container.class, Pool.class)
                .withName("containers")
                .withSecondaryToPrimaryMapper((Container c) -> c.getSpec() == null || c.getSpec().pool == null ? Set.of()
                        : ctx.getPrimaryCache().byIndex("byName", c.getSpec().pool).stream().map(ResourceID::fromResource)
                        .collect(java.util.stream.Collectors.toSet()))
                .withOnUpdateFilter(References::changed);
        return List.of(new InformerEventSource<>(References.watching(builder, Container.class, op.namespaces()).build(), ctx));
    }

    @Override
    protected PoolStatus newStatus() {
        return new PoolStatus();
    }

    @Override
    protected Pool newResource() {
        return new Pool();
    }
}
