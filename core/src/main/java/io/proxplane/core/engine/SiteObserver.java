package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.Site;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Bulk observation of a site: ONE {@code GET /cluster/resources} per Proxmox cluster serves every
 * container, so a steady-state resync costs the same number of Proxmox calls for 5 or 5000
 * containers. What the bulk read shows (existence, tags, node, power state, cores, memory, disk)
 * is compared; options only the per-guest config shows (env, entrypoint) are checked on apply.
 */
final class SiteObserver {
    /** Drift field of a container whose guest still carries the legacy tag {@code pp-<id>}. */
    static final String LEGACY_TAG = "ownerTag";

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
        String registryId = ctx.registry.identity();
        List<Container> rows = ctx.registry.containers().listBySite(site.id());
        Map<Integer, Guest> guests = new TreeMap<>();
        for (ClusterResource r : view.guests()) guests.put(r.vmid(), Guest.of(r));
        List<ContainerStatus> statuses = new ArrayList<>();
        List<Drift> drift = new ArrayList<>();
        Map<Long, Container> rowById = new HashMap<>();
        rows.forEach(c -> rowById.put(c.id(), c));
        for (Container c : rows) {
            String obj = "container " + site.name() + "/" + c.name();
            OwnerTag owner = new OwnerTag(registryId, site.id(), c.id());
            Guest g = c.vmid() == null ? null : guests.get(c.vmid());
            // the legacy tag pp-<id> at the row's vmid: ours if apply/resync can prove it (net0 MAC), then re-tagged
            boolean legacy = g != null && !g.ours(owner) && g.legacyId() == c.id();
            if (g == null || !(g.ours(owner) || legacy)) {
                if (c.intent() == null || !c.intent().equals("create")) {
                    drift.add(new Drift(obj, "exists", "lxc/" + c.vmid(), g == null ? "missing" : "foreign guest"));
                }
                statuses.add(ContainerConverger.status(site, c, c.intent() != null ? "creating" : "missing"));
                continue;
            }
            if (legacy) drift.add(new Drift(obj, LEGACY_TAG, owner.render(), "pp-" + c.id()));
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
        List<SiteObservation.ForeignGuest> foreign = new ArrayList<>();
        Map<Long, String> siteNames = new HashMap<>();
        for (Guest g : guests.values()) {
            GuestOwnership.Verdict v = GuestOwnership.judge(g, registryId, site.id(), rowById,
                    id -> siteNames.computeIfAbsent(id, k -> ctx.registry.sites().get(k).map(Site::name).orElse(null)));
            switch (v.kind()) {
                case ORPHAN -> orphans.add(g.vmid());
                case FOREIGN -> foreign.add(new SiteObservation.ForeignGuest(g.vmid(), v.reason()));
                case OURS -> { }
            }
        }
        return new SiteObservation(site.name(), statuses, drift, orphans, foreign, actions.list());
    }

    /**
     * Observes in bulk, then corrects: legacy tags are proven and replaced, drifted containers are
     * converged again from their stored spec (by their own manager), interrupted deletes are finished,
     * orphans (this registry's and this site's tag, no row at that vmid) are destroyed. Foreign guests
     * are never touched.
     */
    SiteObservation resync(String siteName) {
        Site site = ctx.site(siteName);
        // operations whose engine is gone are rolled back or finished first (IntentRecovery)
        Actions actions = ctx.recovery.resolveAbandoned(site, IntentRecovery.Target.NONE);
        SiteView view = ctx.clusters.observe(site, ctx.errors);
        SiteObservation first = compare(site, view, actions);
        if (first.converged() && first.containers().stream().noneMatch(s -> s.state().equals("creating"))) {
            return first;
        }
        List<Container> rows = ctx.registry.containers().listBySite(site.id());
        Map<Long, ContainerSpec> specs = ctx.store.specsOfSite(site.id());
        Set<String> legacy = first.drift().stream().filter(d -> d.field().equals(LEGACY_TAG)).map(Drift::object)
                .collect(Collectors.toSet());
        Set<String> drifted = first.drift().stream().filter(d -> !d.field().equals(LEGACY_TAG)).map(Drift::object)
                .collect(Collectors.toCollection(HashSet::new));
        for (Container c : rows) {
            String obj = "container " + site.name() + "/" + c.name();
            if (legacy.contains(obj)) {
                Guest g = view.guest(c.vmid()).orElseThrow();
                if (containers.claim(view, site, c, g, actions) == null) {
                    drifted.add(obj); // not provably ours: the container is converged as if missing
                }
            }
            // An intent left after the sweep above belongs to a live engine (another thread, replica or
            // Terraform run): that operation is in progress, not interrupted, and is left to its writer.
            if (c.intent() != null) continue;
            if (!drifted.contains(obj)) continue;
            ContainerSpec spec = specs.get(c.id());
            if (spec == null) continue; // registered by something other than the engine: report only
            containers.apply(c.meta().managedBy(), spec).actions().forEach(a -> actions.add(a.verb(), a.target(), a.detail()));
        }
        for (Integer vmid : first.orphanVmids()) {
            Optional<ClusterResource> r = view.guests().stream().filter(g -> g.vmid().equals(vmid)).findFirst();
            if (r.isEmpty()) continue;
            Guest g = Guest.of(r.get());
            // belt and braces: only ever destroy a guest carrying this registry's and this site's tag
            Optional<OwnerTag> owner = g.owner();
            if (owner.isEmpty() || !owner.get().registryId().equals(ctx.registry.identity())
                    || owner.get().siteId() != site.id()) {
                continue;
            }
            containers.destroy(view.clusterOfNode(g.node()).orElseThrow().client(), g, actions);
        }
        SiteObservation after = compare(site, ctx.clusters.observe(site, ctx.errors), actions);
        return new SiteObservation(after.site(), after.containers(), first.drift(), first.orphanVmids(), after.foreign(),
                actions.list());
    }
}
