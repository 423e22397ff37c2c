package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.Site;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Bulk observation of a site: ONE {@code GET /cluster/resources} per Proxmox cluster serves every
 * container, so a steady-state resync costs the same number of Proxmox calls for 5 or 5000
 * containers. What the bulk read shows (existence, tags, node, power state, cores, memory, disk)
 * is compared; options only the per-guest config shows (env, entrypoint) are checked on apply.
 */
final class SiteObserver {
    private final EngineContext ctx;
    private final ContainerConverger containers;

    SiteObserver(EngineContext ctx, ContainerConverger containers) {
        this.ctx = ctx;
        this.containers = containers;
    }

    SiteObservation observe(String siteName) {
        Site site = ctx.site(siteName);
        SiteView view = ctx.clusters.observe(site, ctx.errors);
        return compare(site, view, new Actions());
    }

    private SiteObservation compare(Site site, SiteView view, Actions actions) {
        List<Container> rows = ctx.registry.containers().listBySite(site.id());
        Map<Integer, Guest> guests = new HashMap<>();
        for (ClusterResource r : view.guests()) guests.put(r.vmid(), Guest.of(r));
        List<ContainerStatus> statuses = new ArrayList<>();
        List<Drift> drift = new ArrayList<>();
        Map<Long, Integer> vmidOf = new HashMap<>();
        rows.forEach(c -> vmidOf.put(c.id(), c.vmid()));
        for (Container c : rows) {
            String obj = "container " + site.name() + "/" + c.name();
            Guest g = c.vmid() == null ? null : guests.get(c.vmid());
            if (g == null || !g.ours(c.id())) {
                if (c.intent() == null || !c.intent().equals("create")) {
                    drift.add(new Drift(obj, "exists", "lxc/" + c.vmid(), g == null ? "missing" : "foreign guest"));
                }
                statuses.add(ContainerConverger.status(site, c, c.intent() != null ? "creating" : "missing"));
                continue;
            }
            statuses.add(ContainerConverger.status(site, c, g.status()));
            if (g.creating()) continue;
            String desiredPower = c.spec().desiredState();
            if (!desiredPower.equals(g.status())) drift.add(new Drift(obj, "state", desiredPower, g.status()));
            if (c.spec().node() != null && !c.spec().node().equals(g.node())) {
                drift.add(new Drift(obj, "node", c.spec().node(), g.node()));
            }
            var res = c.spec().resources();
            if (g.maxcpu() != null && Math.round(g.maxcpu()) != res.cores()) {
                drift.add(new Drift(obj, "cores", String.valueOf(res.cores()), String.valueOf(Math.round(g.maxcpu()))));
            }
            if (g.maxmem() != null && g.maxmem() != res.memoryMb() * 1024 * 1024) {
                drift.add(new Drift(obj, "memoryMb", String.valueOf(res.memoryMb()), String.valueOf(g.maxmem() / 1024 / 1024)));
            }
            if (g.maxdisk() != null && g.maxdisk() < res.diskGb() * 1024 * 1024 * 1024) {
                drift.add(new Drift(obj, "diskGb", String.valueOf(res.diskGb()), String.valueOf(g.maxdisk() >> 30)));
            }
        }
        List<Integer> orphans = new ArrayList<>();
        for (Guest g : guests.values()) {
            long id = g.proxplaneId();
            // no row, or a row that holds another vmid now: a leftover copy either way
            if (id > 0 && !g.creating() && !Integer.valueOf(g.vmid()).equals(vmidOf.get(id))) orphans.add(g.vmid());
        }
        orphans.sort(null);
        return new SiteObservation(site.name(), statuses, drift, orphans, actions.list());
    }

    /**
     * Observes in bulk, then corrects: drifted containers are converged again from their stored spec
     * (by their own manager), interrupted deletes are finished, orphans are destroyed.
     */
    SiteObservation resync(String siteName) {
        Site site = ctx.site(siteName);
        SiteView view = ctx.clusters.observe(site, ctx.errors);
        Actions actions = new Actions();
        SiteObservation first = compare(site, view, actions);
        if (first.converged() && first.containers().stream().noneMatch(s -> s.state().equals("creating"))) {
            return first;
        }
        List<Container> rows = ctx.registry.containers().listBySite(site.id());
        Map<Long, ContainerSpec> specs = ctx.store.specsOfSite(site.id());
        Set<String> drifted = first.drift().stream().map(Drift::object).collect(Collectors.toSet());
        for (Container c : rows) {
            String obj = "container " + site.name() + "/" + c.name();
            boolean interrupted = c.intent() != null;
            if (!drifted.contains(obj) && !interrupted) continue;
            if ("delete".equals(c.intent())) {
                containers.delete(c.meta().managedBy(), site.name(), c.name()).actions().forEach(a -> actions.add(a.verb(), a.target(), a.detail()));
                continue;
            }
            ContainerSpec spec = specs.get(c.id());
            if (spec == null) continue; // registered by something other than the engine: report only
            containers.apply(c.meta().managedBy(), spec).actions().forEach(a -> actions.add(a.verb(), a.target(), a.detail()));
        }
        for (Integer vmid : first.orphanVmids()) {
            Optional<ClusterResource> r = view.guests().stream().filter(g -> g.vmid().equals(vmid)).findFirst();
            if (r.isEmpty()) continue;
            Guest g = Guest.of(r.get());
            containers.destroy(view.clusterOfNode(g.node()).orElseThrow().client(), g, actions);
        }
        SiteObservation after = compare(site, ctx.clusters.observe(site, ctx.errors), actions);
        return new SiteObservation(after.site(), after.containers(), first.drift(), first.orphanVmids(), actions.list());
    }
}
