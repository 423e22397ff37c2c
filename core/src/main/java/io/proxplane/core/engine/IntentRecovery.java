package io.proxplane.core.engine;

import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.registry.Claim;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.RowMeta;
import io.proxplane.core.registry.IntentRepository.Abandoned;
import io.proxplane.core.registry.Site;

import java.util.List;
import java.util.Optional;

/**
 * Resolves intents whose writer is gone (see {@link io.proxplane.core.registry.IntentRepository}):
 * an operation interrupted by a SIGKILL, a crash or a lost connection, which no front door may
 * ever mention again (the resource was removed from the configuration, the CR deleted with its
 * finalizer stripped). Run at the start of every container and service apply/delete and every
 * resync of a site (abandoned container intents of that site and abandoned pool intents) and of
 * every pool apply/delete (pool intents). The common case costs one indexed query and no Proxmox
 * call.
 *
 * <p>Each abandoned intent is taken over atomically first (the row's session set to ours only if it
 * still names the dead one), so among engines sweeping at once exactly one resolves it:
 * <ul>
 *   <li>container {@code create}: a guest still being created is awaited, a guest carrying this
 *       container's owner tag is destroyed (never one without it), and the row is deleted, which
 *       releases its vmid, IP, MAC and service ports, its stored spec, and the owner's Proxmox user
 *       if proxplane made it and nothing else uses it ({@code recover-rollback});</li>
 *   <li>container {@code delete}: finished the same way ({@code recover-delete});</li>
 *   <li>pool {@code create} / {@code delete}: the Proxmox pools proxplane made, their grants, the
 *       users and groups made only for them and the row are removed ({@code recover-rollback} /
 *       {@code recover-delete}); a pool that containers use by now is kept and its intent cleared
 *       ({@code recover-keep}).</li>
 * </ul>
 * Except the object the caller is about to apply or delete itself, by the same manager: that one
 * is only taken over, and the caller resumes (adopts the guest) or finishes it as before.
 * A resolution that fails is reported ({@code recover-failed}) and its intent handed back as
 * abandoned, so the next run tries again; the caller's own work goes on.
 */
final class IntentRecovery {
    /**
     * The object the running operation is for, or none. Its own abandoned intent is exempt from
     * rollback only when the caller may write the row (same manager, and the same holder or one
     * allowed to take it over): a Terraform create after a crash comes with a new holder, so the
     * interrupted create is rolled back first instead of refusing the new one as a second claimant.
     */
    record Target(String kind, String name, Claim claim) {
        static final Target NONE = new Target("", "", null);

        static Target container(String name, Claim claim) {
            return new Target(Abandoned.CONTAINER, name, claim);
        }

        static Target pool(String name, Claim claim) {
            return new Target(Abandoned.POOL, name, claim);
        }

        boolean is(String kind, String name, RowMeta row) {
            return claim != null && this.kind.equals(kind) && this.name.equals(name)
                    && claim.refusal(kind, name, row.managedBy(), row.claimedBy()).isEmpty();
        }
    }

    private final EngineContext ctx;
    private final ContainerConverger containers;
    private final PoolConverger pools;

    IntentRecovery(EngineContext ctx, ContainerConverger containers, PoolConverger pools) {
        this.ctx = ctx;
        this.containers = containers;
        this.pools = pools;
    }

    /** Resolves the site's abandoned container intents and all abandoned pool intents. */
    Actions resolveAbandoned(Site site, Target target) {
        Actions actions = new Actions();
        List<Abandoned> found = ctx.registry.intents().abandoned(site.id());
        if (found.isEmpty()) {
            return actions; // the common path: one query, no Proxmox call
        }
        SiteView[] view = new SiteView[1];
        for (Abandoned a : found) {
            if (a.kind().equals(Abandoned.CONTAINER)) {
                container(site, a, target, view, actions);
            } else {
                pool(a, target, actions);
            }
        }
        return actions;
    }

    /** Resolves the abandoned pool intents (a pool apply or delete, which belongs to no site). */
    Actions resolveAbandonedPools(Target target) {
        Actions actions = new Actions();
        for (Abandoned a : ctx.registry.intents().abandonedPools()) {
            pool(a, target, actions);
        }
        return actions;
    }

    private void container(Site site, Abandoned a, Target target, SiteView[] view, Actions actions) {
        Optional<Container> found = ctx.registry.containers().get(a.containerId());
        if (found.isEmpty()) return; // resolved meanwhile
        Container row = found.get();
        boolean self = target.is(Abandoned.CONTAINER, row.name(), row.meta());
        int me = ctx.session.id();
        if (!ctx.registry.intents().takeOverContainer(a, me)) {
            return; // another engine took it over first, or its writer came back
        }
        if (self) {
            return; // the caller resumes (or finishes) it as after any interruption
        }
        String obj = ContainerConverger.key(site.name(), row.name());
        String verb = "create".equals(a.intent()) ? "recover-rollback" : "recover-delete";
        try {
            String destroyed = "no guest";
            if (row.vmid() != null) {
                if (view[0] == null) view[0] = ctx.clusters.observe(site, ctx.errors);
                Optional<Guest> seen = view[0].guest(row.vmid());
                if (seen.isPresent()) {
                    ProxmoxClient client = view[0].clusterOfNode(seen.get().node()).orElseThrow().client();
                    // a create still running is awaited; only a guest provably this container's is destroyed
                    Guest g = containers.settle(client, row, seen.get().node(), seen.get());
                    Guest mine = g == null ? null : containers.claim(view[0], site, row, g, actions);
                    if (mine != null) {
                        containers.destroy(client, mine, actions);
                        destroyed = "destroyed lxc/" + mine.vmid();
                    } else if (g != null) {
                        destroyed = "lxc/" + g.vmid() + " is not this container's: left alone";
                    }
                }
            }
            ctx.registry.containers().delete(row.meta().managedBy(), row.id());
            actions.add(verb, "container " + obj, "interrupted " + a.intent() + " of an engine that is gone; " + destroyed
                    + "; released vmid " + row.vmid() + ", mac " + row.mac() + ", ipv4 " + row.ipv4());
            if (row.spec().owner() != null) {
                ctx.removeUnused(ProxmoxObjects.USER, List.of(row.spec().owner()), actions);
            }
        } catch (RuntimeException e) {
            ctx.registry.intents().releaseContainer(row.id(), me);
            actions.add("recover-failed", "container " + obj, messageOf(e) + "; the next run tries again");
        }
    }

    private void pool(Abandoned a, Target target, Actions actions) {
        boolean self = ctx.registry.pools().findByName(a.key()).map(p -> target.is(Abandoned.POOL, a.key(), p.meta()))
                .orElse(target.kind().equals(Abandoned.POOL) && target.name().equals(a.key()));
        int me = ctx.session.id();
        if (!ctx.registry.intents().takeOverPool(a, me)) {
            return;
        }
        if (self) {
            return; // the pool's own apply resumes its first converge, its delete finishes it
        }
        try {
            pools.recover(a.key(), a.intent(), actions);
        } catch (RuntimeException e) {
            ctx.registry.intents().releasePool(a.key(), me);
            actions.add("recover-failed", "pool " + a.key(), messageOf(e) + "; the next run tries again");
        }
    }

    private static String messageOf(RuntimeException e) {
        return EngineErrors.translate(e).getMessage();
    }
}
