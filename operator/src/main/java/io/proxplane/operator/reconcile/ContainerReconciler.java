package io.proxplane.operator.reconcile;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.proxplane.core.engine.Action;
import io.proxplane.core.engine.ContainerResult;
import io.proxplane.operator.api.Container;
import io.proxplane.operator.api.ContainerStatus;
import io.proxplane.operator.api.Pool;
import io.proxplane.operator.api.Site;
import io.proxplane.operator.api.User;
import io.proxplane.operator.mapping.SpecMapper;
import io.proxplane.operator.mapping.StatusMapper;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Containers. Woken by spec changes, by its Site, Pool or owner User changing, and by the site's bulk poll
 * when Proxmox shows something other than the status says. The hourly safety net re-applies the
 * spec, which also corrects drift only the per-guest config shows (env, entrypoint).
 */
@ControllerConfiguration(name = "container", finalizerName = ContainerReconciler.FINALIZER,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 1, timeUnit = TimeUnit.HOURS))
public final class ContainerReconciler extends EngineReconciler<Container, ContainerStatus> {
    public static final String FINALIZER = "proxplane.io/finalizer";

    public ContainerReconciler(OperatorContext op) {
        super(op);
    }

    @Override
    protected Applied<ContainerStatus> apply(Container r, Context<Container> context) {
        ContainerResult result = op.engine().containers().apply(Claims.of(r), SpecMapper.container(r));
        ContainerStatus status = StatusMapper.container(new ContainerStatus(), result);
        List<String> actions = result.actions().stream().map(Action::toString).toList();
        String message = status.state + " on " + status.node + " as " + status.fqdn + " (" + status.ipv4 + ")";
        if (!result.replacementRequired().isEmpty()) {
            message += "; " + String.join(", ", result.replacementRequired())
                    + " differ from the running container and change only by deleting and recreating it";
        }
        if (!result.pendingRestart().isEmpty()) {
            message += "; pending until restart: " + String.join(", ", result.pendingRestart());
        }
        return new Applied<>(status, actions, message);
    }

    @Override
    protected List<String> delete(Container r, Context<Container> context) {
        String site = r.getSpec() == null ? null : r.getSpec().site;
        if (site == null) return List.of();
        return op.engine().containers().delete(Claims.of(r), site, r.getMetadata().getName()).actions().stream()
                .map(Action::toString).toList();
    }

    @Override
    public List<EventSource<?, Container>> prepareEventSources(EventSourceContext<Container> ctx) {
        var sites = References.byIndex(ctx, Site.class, op.namespaces(), SiteFanout.BY_SITE,
                (Container c) -> c.getSpec() == null ? null : List.of(c.getSpec().site));
        // a Container names its Pool by its global name, wherever the Pool lives
        var pools = References.byIndex(ctx, Pool.class, op.namespaces(), "byPool",
                (Container c) -> c.getSpec() == null || c.getSpec().pool == null ? null : List.of(c.getSpec().pool),
                (Pool p) -> p.getMetadata().getName());
        // the owner must be a User (InvalidSpec until it exists): a Container applied before its owner
        // is woken when the User appears instead of waiting for a spec change
        var owners = References.byIndex(ctx, User.class, op.namespaces(), "byOwner",
                (Container c) -> c.getSpec() == null || c.getSpec().owner == null ? null : List.of(c.getSpec().owner),
                SpecMapper::username);
        var polls = new SimpleInboundEventSource<Container>("sitePoll");
        op.fanout().attach(ctx.getPrimaryCache(), polls);
        return List.of(sites, pools, owners, polls);
    }

    @Override
    protected ContainerStatus newStatus() {
        return new ContainerStatus();
    }

    @Override
    protected Container newResource() {
        return new Container();
    }
}
