package io.proxplane.operator.reconcile;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.proxplane.core.engine.ContainerStatus;
import io.proxplane.core.engine.SiteObservation;
import io.proxplane.operator.api.Container;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries the result of a site's bulk poll (one {@code /cluster/resources} read per cluster) to
 * the Container reconciler: only containers whose observed state differs from their status are
 * reconciled, so a steady-state poll costs no per-container Proxmox request. A poll that fails
 * after one that worked wakes every container of the site, so each shows the outage in its own
 * condition (and retries with back-off until Proxmox answers again).
 */
public final class SiteFanout {
    public static final String BY_SITE = "bySite";

    private volatile IndexerResourceCache<Container> containers;
    private volatile SimpleInboundEventSource<Container> source;
    private final Map<String, Boolean> lastPollOk = new ConcurrentHashMap<>();

    /** Called by the Container reconciler when its event sources are prepared. */
    void attach(IndexerResourceCache<Container> cache, SimpleInboundEventSource<Container> events) {
        this.containers = cache;
        this.source = events;
    }

    public void observed(String site, SiteObservation observation) {
        lastPollOk.put(site, true);
        if (containers == null) return;
        Map<String, ContainerStatus> byName = new java.util.HashMap<>();
        observation.containers().forEach(c -> byName.put(c.name(), c));
        for (Container c : containers.byIndex(BY_SITE, site)) {
            ContainerStatus seen = byName.get(c.getMetadata().getName());
            String state = c.getStatus() == null ? null : c.getStatus().state;
            String node = c.getStatus() == null ? null : c.getStatus().node;
            boolean ready = EngineReconciler.isReady(c.getStatus());
            if (seen == null || !Objects.equals(seen.state(), state) || !Objects.equals(seen.node(), node) || !ready) {
                source.propagateEvent(ResourceID.fromResource(c));
            }
        }
    }

    public void failed(String site) {
        Boolean wasOk = lastPollOk.put(site, false);
        if (containers == null || Boolean.FALSE.equals(wasOk)) return;
        containers.byIndex(BY_SITE, site).forEach(c -> source.propagateEvent(ResourceID.fromResource(c)));
    }
}
