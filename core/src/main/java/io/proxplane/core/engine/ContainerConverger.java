package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.ContainerSpec.PowerState;
import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.error.ConfigurationChangedException;
import io.proxplane.core.proxmox.error.TransientException;
import io.proxplane.core.proxmox.model.AclEntry;
import io.proxplane.core.proxmox.model.AclUpdate;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.proxmox.model.DestroyOptions;
import io.proxplane.core.proxmox.model.Features;
import io.proxplane.core.proxmox.model.LxcConfig;
import io.proxplane.core.proxmox.model.LxcConfigUpdate;
import io.proxplane.core.proxmox.model.LxcCreateRequest;
import io.proxplane.core.proxmox.model.NetworkInterface;
import io.proxplane.core.proxmox.model.PoolUpdate;
import io.proxplane.core.proxmox.model.PendingChange;
import io.proxplane.core.proxmox.model.RootFs;
import io.proxplane.core.proxmox.model.Upid;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.ContainerAddresses;
import io.proxplane.core.registry.Claim;
import io.proxplane.core.registry.Pool;
import io.proxplane.core.registry.PoolQuotaExceededException;
import io.proxplane.core.registry.Resources;
import io.proxplane.core.registry.Site;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Converges one container: desired spec + registry row + Proxmox guest -> ordered actions.
 *
 * <p>Crash safety rests on two facts: the vmid, MAC and IPv4 are reserved in the registry before
 * any create, and the LXC carries the tags {@code proxplane} and its {@link OwnerTag}
 * ({@code pp-<registry id>-<site id>-<container id>}). A retry therefore looks at the reserved vmid
 * first and adopts a guest carrying its tag (waiting for a create still in flight) instead of
 * creating a second one. A guest without that tag is never adopted, changed, stopped or destroyed.
 */
public final class ContainerConverger {
    /** Re-reservations one apply may make before giving up (each after a guest took the vmid). */
    private static final int MAX_VMID_ATTEMPTS = 3;

    private final EngineContext ctx;
    private final Images images;

    ContainerConverger(EngineContext ctx) {
        this.ctx = ctx;
        this.images = new Images(ctx);
    }

    // ------------------------------------------------------------------ apply

    /** {@link #apply(Claim, ContainerSpec)} for the manager as a whole ({@link Claim#asManager}: no resource claim checked or set). */
    public ContainerResult apply(String manager, ContainerSpec spec) {
        return apply(Claim.asManager(manager), spec);
    }

    /**
     * Creates or updates as {@code claim} may: another manager's container is refused (OWNERSHIP),
     * another resource's (or, for a create, any existing one) with CONFLICT naming its holder —
     * checked from the registry before any Proxmox call, and again atomically with the row's write.
     */
    public ContainerResult apply(Claim claim, ContainerSpec spec) {
        return EngineErrors.guard(() -> applyUnguarded(claim, spec));
    }

    private ContainerResult applyUnguarded(Claim claim, ContainerSpec spec) {
        String manager = claim.manager();
        requireOwnerUser(spec);
        Site site = ctx.site(spec.site());
        Actions actions = ctx.recovery.resolveAbandoned(site, IntentRecovery.Target.container(spec.name(), claim));
        Optional<Container> existing = ctx.registry.containers().findByName(site.id(), spec.name());
        existing.ifPresent(c -> EngineContext.requireClaim("container", key(spec.site(), spec.name()), c.meta(), claim));
        Pool pool = spec.pool() == null ? null : ctx.pool(spec.pool());
        checkQuota(site, pool, spec);

        List<String> replace = new ArrayList<>();
        SiteView view = ctx.clusters.observe(site, ctx.errors);

        // Fields Proxmox cannot change in place keep their current value in the registry until the
        // front door replaces the container; the difference is reported.
        Optional<Guest> current = existing.filter(c -> c.vmid() != null).flatMap(c -> view.guest(c.vmid()))
                .map(g -> claim(view, site, existing.get(), g, actions));
        String node = existing.map(c -> c.spec().node()).orElse(null);
        String image = spec.image();
        if (current.isPresent()) {
            node = current.get().node();
            if (spec.node() != null && !spec.node().equals(node)) replace.add("node");
            if (!existing.get().spec().image().equals(spec.image())) {
                replace.add("image");
                image = existing.get().spec().image();
            }
        } else if (node == null || (spec.node() != null && !spec.node().equals(node))
                || view.clusterOfNode(node).isEmpty()) {
            node = Placement.choose(site, spec, view, ctx.registry.containers().listBySite(site.id()));
        }
        Container row = upsertRow(claim, site, pool, spec, node, image);
        ctx.store.saveSpec(row.id(), spec);
        if (existing.isEmpty()) {
            actions.add("register", key(spec.site(), spec.name()), "registry id " + row.id());
        }

        ContainerAddresses addr = EngineContext.owned(() -> ctx.registry.allocators()
                .reserveContainerAddresses(manager, site.id(), row.id(), view.vmidsInUse()));
        if (existing.isEmpty() || existing.get().vmid() == null) {
            actions.add("reserve", "vmid " + addr.vmid(), "mac " + addr.mac() + ", ipv4 " + addr.ipv4());
        }
        SiteView.ClusterView cluster = view.clusterOfNode(node).orElseThrow();

        List<String> pending = new ArrayList<>();
        boolean created = false;
        // vmids proven not ours during this apply: never reserved again by it, even before the
        // cluster lists them (another registry's create may be seconds old).
        Set<Integer> refused = new HashSet<>();
        SiteView seenView = view;
        Guest guest;
        for (int attempt = 1; ; attempt++) {
            int vmid = addr.vmid();
            Guest seen = seenView == view
                    ? current.filter(g -> g.vmid() == vmid).or(() -> view.guest(vmid)).orElse(null)
                    : seenView.guest(vmid).orElse(null);
            seen = settle(cluster.client(), row, node, seen);
            if (seen != null) {
                Guest mine = claim(seenView, site, row, seen, actions);
                if (mine != null) {
                    guest = mine;
                    break;
                }
                // A guest we did not make sits on our reserved vmid (made between our read and our
                // reservation, or after ours vanished): take other addresses instead of touching it.
                refused.add(vmid);
                seenView = reReserve(manager, site, row, refused, attempt, "vmid " + vmid + " is held by a guest proxplane did not create here");
                addr = reserved(manager, site, row, seenView, refused);
                actions.add("re-reserve", "vmid " + addr.vmid(), "previous vmid held by a foreign guest");
                continue;
            }
            Guest made = create(manager, site, spec, row, addr, node, cluster, actions);
            if (made != null) {
                guest = made;
                created = true;
                break;
            }
            // Proxmox answered "already exists": the vmid was taken between our read and our create, by
            // another registry (which cannot see our reservations) or by hand. If it is ours after all (a
            // concurrent apply of this registry made it), it is adopted; otherwise another vmid is taken.
            seenView = ctx.clusters.observe(site, ctx.errors);
            Guest there = seenView.guest(vmid).map(g -> settle(cluster.client(), row, g.node(), g)).orElse(null);
            if (there != null && (there = claim(seenView, site, row, there, actions)) != null) {
                guest = there;
                break;
            }
            refused.add(vmid);
            seenView = reReserve(manager, site, row, refused, attempt, "vmid " + vmid + " was taken by another create");
            addr = reserved(manager, site, row, seenView, refused);
            actions.add("re-reserve", "vmid " + addr.vmid(), "lxc/" + vmid + " was created by someone else meanwhile");
        }
        if (!created) {
            if (row.intent() != null && row.intent().equals("create")) {
                actions.add("adopt", "lxc/" + addr.vmid(), "created before an interruption");
                grantOwner(cluster, spec, addr.vmid(), actions);
            }
            updateInPlace(spec, site, row, addr, guest, cluster, actions, pending, replace);
            guest = power(spec, guest, cluster, actions);
        }
        String oldOwner = existing.map(c -> c.spec().owner()).orElse(null);
        if (existing.isPresent() && !Objects.equals(oldOwner, spec.owner())) {
            changeOwner(cluster, spec, oldOwner, addr.vmid(), created, actions);
        }
        if (!created) {
            // from what Proxmox shows, not from the stored spec: an earlier apply may have stored the
            // new pool and failed before moving the guest
            convergePool(cluster, seenView.poolOf(addr.vmid()).orElse(null), pool, addr.vmid(), actions);
        }
        if (created || row.intent() != null) {
            ctx.registry.containers().recordIntent(manager, row.id(), null, null);
        }
        Container done = ctx.registry.containers().recordObserved(manager, row.id(), guest.status(), guest.node());
        return new ContainerResult(status(site, done, guest.status()), actions.list(), replace, pending, List.of());
    }

    /**
     * The owner gets a Proxmox user and a grant on the guest, so it must be a User of the registry:
     * a typo would otherwise create a stray Proxmox user ({@code nosuchuser@pve}). Checked before
     * any registry write or Proxmox call.
     */
    private void requireOwnerUser(ContainerSpec spec) {
        if (spec.owner() != null && ctx.registry.users().findByUsername(spec.owner()).isEmpty()) {
            throw EngineException.invalidSpec("owner", "user '" + spec.owner()
                    + "' does not exist; create the User first (or correct owner)");
        }
    }

    /** Bounded attempts at finding a free vmid; returns the cluster as seen after releasing the old one. */
    private SiteView reReserve(String manager, Site site, Container row, Set<Integer> refused, int attempt, String why) {
        if (attempt > MAX_VMID_ATTEMPTS) {
            throw new EngineException(EngineException.Kind.CONFLICT, why + "; vmids " + new TreeSet<>(refused)
                    + " were all taken by guests proxplane did not create for this container",
                    "check who else creates guests on this Proxmox cluster");
        }
        ctx.registry.allocators().releaseContainerAddresses(manager, row.id());
        return ctx.clusters.observe(site, ctx.errors);
    }

    private ContainerAddresses reserved(String manager, Site site, Container row, SiteView view, Set<Integer> refused) {
        Set<Integer> taken = new HashSet<>(view.vmidsInUse());
        taken.addAll(refused);
        return EngineContext.owned(() -> ctx.registry.allocators().reserveContainerAddresses(manager, site.id(), row.id(), taken));
    }

    static OwnerTag owner(EngineContext ctx, Site site, Container row) {
        return new OwnerTag(ctx.registry.identity(), site.id(), row.id());
    }

    /**
     * The guest if it is this container's, else null. Ours means it carries our owner tag; a guest
     * with the legacy tag {@code pp-<row id>} at the row's vmid is ours only once proven (its net0
     * MAC is the row's) and is then re-tagged. Never changes a guest it cannot prove is ours.
     */
    Guest claim(SiteView view, Site site, Container row, Guest g, Actions actions) {
        OwnerTag owner = owner(ctx, site, row);
        if (g.ours(owner)) {
            return g;
        }
        if (g.legacyId() != row.id() || row.vmid() == null || row.vmid() != g.vmid()) {
            return null;
        }
        Optional<SiteView.ClusterView> cluster = view.clusterOfNode(g.node());
        if (cluster.isEmpty()) {
            return null;
        }
        return retagLegacy(cluster.get().client(), row, owner, g, actions);
    }

    /**
     * Proves a legacy-tagged guest is this row's and replaces its {@code pp-<id>} tag by the owner tag,
     * keeping every other tag. The proof: the row holds the tag's id AND the guest's vmid, and the
     * guest's net0 MAC is the row's. Two registries of the previous version both numbered rows from 1
     * and may both hold a vmid after a collision; the MAC (random per registry) tells them apart.
     * Returns the re-tagged guest, or null when not proven.
     */
    private Guest retagLegacy(ProxmoxClient client, Container row, OwnerTag owner, Guest g, Actions actions) {
        String legacy = "pp-" + row.id();
        for (int attempt = 1; ; attempt++) {
            LxcConfig cfg = ctx.errors.retrying("read config of lxc/" + g.vmid(), () -> client.lxc().config(g.node(), g.vmid()));
            List<String> have = cfg.tags();
            if (have.contains(owner.render())) {
                return g.withTags(have); // re-tagged already (an earlier, interrupted attempt)
            }
            String mac = cfg.net(0).map(NetworkInterface::hwaddr).orElse(null);
            if (!have.contains(Guest.TAG) || !have.contains(legacy) || row.mac() == null || mac == null
                    || !mac.equalsIgnoreCase(row.mac())) {
                return null;
            }
            List<String> tags = tags(owner, have);
            try {
                ctx.errors.retrying("re-tag lxc/" + g.vmid(), () -> {
                    client.lxc().updateConfig(g.node(), g.vmid(), LxcConfigUpdate.builder().digest(cfg.digest()).tags(tags).build());
                    return null;
                });
            } catch (EngineException e) {
                if (e.proxmoxCause(ConfigurationChangedException.class).isPresent() && attempt < 3) {
                    continue; // the config changed between our read and write: prove again
                }
                throw e;
            }
            actions.add("retag", "lxc/" + g.vmid(), legacy + " -> " + owner.render());
            return g.withTags(tags);
        }
    }

    /**
     * Writes the registry row. For a container in a pool this is also the quota reservation: the
     * registry checks the pool's quotas in the same transaction as the write, serialised per pool, so
     * parallel applies (threads, engines, processes) cannot together exceed a pool. A refusal writes
     * nothing, and nothing was asked of Proxmox but the read of its resources.
     */
    private Container upsertRow(Claim claim, Site site, Pool pool, ContainerSpec spec, String node, String image) {
        io.proxplane.core.registry.ContainerSpec r = registrySpec(site, pool, spec, node, image);
        // a new row is born with intent create: a crash before anything else is recorded is rolled back
        return quota(() -> EngineContext.owned(() -> ctx.registry.containers().upsert(claim, r, ctx.session.id())));
    }

    /**
     * Refuses early, before any Proxmox call, when the pool is already too full. Only advisory: the
     * pool may fill between this check and {@link #upsertRow}, which decides.
     */
    private void checkQuota(Site site, Pool pool, ContainerSpec spec) {
        if (pool == null) {
            return;
        }
        io.proxplane.core.registry.ContainerSpec r = registrySpec(site, pool, spec, spec.node(), spec.image());
        quota(() -> {
            ctx.registry.containers().checkQuota(r);
            return null;
        });
    }

    private static io.proxplane.core.registry.ContainerSpec registrySpec(Site site, Pool pool, ContainerSpec spec, String node,
                                                                         String image) {
        return new io.proxplane.core.registry.ContainerSpec(site.id(), spec.name(), spec.hostname(), node, image,
                new Resources(spec.cores(), spec.memoryMb(), spec.swapMb(), spec.diskGb()), spec.owner(),
                pool == null ? null : pool.id(), spec.powerState() == PowerState.RUNNING ? "running" : "stopped");
    }

    /** Turns the registry's quota refusal into the engine's, with the same numbers. */
    private static <T> T quota(Supplier<T> registryCall) {
        try {
            return registryCall.get();
        } catch (PoolQuotaExceededException e) {
            // No cause attached: the numbers are all there is to it (and EngineException fixes its cause at construction).
            throw new QuotaExceededException(e.pool(), e.quota(), e.limit(), e.inUse(), e.requested());
        }
    }

    /**
     * A guest whose create is still in flight (lock {@code create}) is waited for: through the
     * recorded task when there is one, else by polling its status. Returns null when it is gone
     * (a failed create is rolled back by Proxmox).
     */
    Guest settle(ProxmoxClient client, Container row, String node, Guest seen) {
        if (seen == null || !seen.creating()) {
            return seen;
        }
        if (row.taskUpid() != null) {
            try {
                client.tasks().await(Upid.parse(row.taskUpid()), ctx.settings.taskTimeout());
            } catch (RuntimeException ignored) {
                // the outcome is read from the guest below
            }
        }
        Instant deadline = Instant.now().plus(ctx.settings.taskTimeout());
        while (true) {
            Guest g;
            try {
                g = Guest.of(seen.node(), ctx.errors.retrying("status of lxc/" + seen.vmid(),
                        () -> client.lxc().status(seen.node(), seen.vmid())));
            } catch (EngineException e) {
                if (ProxmoxErrors.isNotFound(e)) return null; // the create failed and Proxmox rolled it back
                throw e;
            }
            if (!g.creating()) {
                return g;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new EngineException(EngineException.Kind.PROXMOX_LOCKED, "lxc/" + seen.vmid()
                        + " is still being created", "wait for the create task on node " + seen.node());
            }
            ProxmoxErrors.sleep(ctx.settings.backoff());
        }
    }

    private Guest create(String manager, Site site, ContainerSpec spec, Container row, ContainerAddresses addr, String node,
                         SiteView.ClusterView cluster, Actions actions) {
        ProxmoxClient client = cluster.client();
        String url = cluster.endpoint().url();
        var overrides = site.spec().nodeOverrides();
        String storage = Placement.setting(overrides, node, "storage", ctx.settings.defaultStorage());
        String templateStorage = Placement.setting(overrides, node, "templateStorage", ctx.settings.templateStorage());
        String bridge = Placement.setting(overrides, node, "bridge", site.spec().bridge());
        ctx.registry.containers().recordIntent(manager, row.id(), "create", null, ctx.session.id());
        String template = images.templateVolume(url, client, node, templateStorage, spec.image(), actions);
        if (spec.pool() != null) {
            ctx.ensureProxmoxPool(url, client, spec.pool());
        }
        LxcCreateRequest.Builder b = LxcCreateRequest.builder(addr.vmid(), template)
                .hostname(spec.hostname())
                .cores(spec.cores())
                .memory((int) spec.memoryMb())
                .swap((int) spec.swapMb())
                .rootfs(RootFs.allocate(storage, (int) spec.diskGb()))
                .net(0, net0(addr, bridge))
                .searchdomain(site.spec().dnsDomain())
                .tags(tags(owner(ctx, site, row), List.of()))
                .unprivileged(true)
                .start(spec.powerState() == PowerState.RUNNING)
                .description("proxplane container " + spec.site() + "/" + spec.name() + " (" + owner(ctx, site, row).render()
                        + "), managed by " + manager);
        Features f = features(spec);
        if (!f.isEmpty()) b.features(f);
        if (spec.pool() != null) b.pool(spec.pool());
        if (!spec.sshKeys().isEmpty()) b.sshPublicKeys(spec.sshKeys());
        if (!spec.env().isEmpty()) b.env(spec.env());
        if (spec.entrypoint() != null) b.entrypoint(spec.entrypoint());
        LxcCreateRequest request = b.build();
        Upid upid;
        try {
            upid = ctx.errors.retrying("create lxc/" + addr.vmid(), () -> client.lxc().create(node, request));
        } catch (EngineException e) {
            if (ProxmoxErrors.isAlreadyExists(e)) {
                // Proxmox numbers guests per cluster and another registry cannot see our reservation:
                // the caller looks at who holds the vmid and reserves another one.
                return null;
            }
            if (e.proxmoxCause(TransientException.class).isPresent()) {
                // The create may have happened: the next apply decides from what Proxmox shows at the
                // reserved vmid.
                throw new EngineException(EngineException.Kind.PROXMOX_UNAVAILABLE, e.getMessage(),
                        "apply again; the engine adopts the container if the create went through", e);
            }
            throw e;
        }
        ctx.registry.containers().recordIntent(manager, row.id(), "create", upid.toString(), ctx.session.id());
        images.await(client, upid, "create lxc/" + addr.vmid());
        actions.add("create-lxc", "lxc/" + addr.vmid(), "on " + node + " from " + spec.image());
        if (spec.powerState() == PowerState.RUNNING) {
            actions.add("start", "lxc/" + addr.vmid(), null);
        }
        grantOwner(cluster, spec, addr.vmid(), actions);
        return new Guest(addr.vmid(), node, spec.powerState() == PowerState.RUNNING ? "running" : "stopped",
                tags(owner(ctx, site, row), List.of()), null, null, null, null);
    }

    /**
     * The new owner gets the grant (unless the guest was just created with it), the old owner's grant
     * on this guest is revoked, and the old owner's Proxmox user goes if proxplane made it and
     * nothing else uses it.
     */
    private void changeOwner(SiteView.ClusterView cluster, ContainerSpec spec, String oldOwner, int vmid, boolean created,
                             Actions actions) {
        if (!created) {
            grantOwner(cluster, spec, vmid, actions);
        }
        if (oldOwner != null) {
            String old = ctx.proxmoxUser(oldOwner);
            try {
                ctx.errors.retrying("revoke owner access on /vms/" + vmid, () -> {
                    cluster.client().acl().update(AclUpdate.grantToUser("/vms/" + vmid, ctx.settings.ownerRole(), old).revoke());
                    return null;
                });
                actions.add("revoke", "/vms/" + vmid, ctx.settings.ownerRole() + " from " + old);
            } catch (EngineException e) {
                // the old owner's user is gone already (removed by hand): its grants went with it
                if (!ProxmoxErrors.isNotFound(e)) throw e;
            }
            ctx.removeUnused(ProxmoxObjects.USER, List.of(oldOwner), actions);
        }
    }

    /**
     * A container moved to another pool (or out of one) moves in Proxmox too: the pool's quota,
     * members and grants must describe the same guests in the registry and in Proxmox.
     */
    /**
     * Puts the guest into the Proxmox pool its spec names (taking it out of the one it is in), or,
     * with no pool in the spec, takes it out of a pool of this registry. A pool the registry does
     * not know (someone put the guest there by hand) is left as it is when the spec names none.
     */
    private void convergePool(SiteView.ClusterView cluster, String observedPool, Pool pool, int vmid, Actions actions) {
        ProxmoxClient client = cluster.client();
        String wanted = pool == null ? null : pool.name();
        if (Objects.equals(observedPool, wanted)) return;
        if (pool != null) {
            ctx.ensureProxmoxPool(cluster.endpoint().url(), client, pool.name());
            // allow-move takes the guest out of its current pool in the same request
            ctx.errors.retrying("move lxc/" + vmid + " to pool " + pool.name(), () -> {
                client.pools().update(PoolUpdate.addVms(pool.name(), List.of(vmid)).withAllowMove(true));
                return null;
            });
            actions.add("move-pool", "lxc/" + vmid, "to " + pool.name());
            return;
        }
        if (ctx.registry.pools().findByName(observedPool).isEmpty()) return;
        try {
            ctx.errors.retrying("remove lxc/" + vmid + " from pool " + observedPool, () -> {
                client.pools().update(PoolUpdate.removeVms(observedPool, List.of(vmid)));
                return null;
            });
            actions.add("leave-pool", "lxc/" + vmid, observedPool);
        } catch (EngineException e) {
            if (!ProxmoxErrors.isNotFound(e)) throw e; // the Proxmox pool is gone already
        }
    }

    private void grantOwner(SiteView.ClusterView cluster, ContainerSpec spec, int vmid, Actions actions) {
        if (spec.owner() == null) {
            return;
        }
        String url = cluster.endpoint().url();
        // the user may have been removed since it was cached (its last container went): look again
        ctx.forget(url, "user:" + ctx.proxmoxUser(spec.owner()));
        ctx.ensureProxmoxUser(url, cluster.client(), spec.owner());
        ctx.errors.retrying("grant owner access on /vms/" + vmid, () -> {
            cluster.client().acl().update(AclUpdate.grantToUser("/vms/" + vmid, ctx.settings.ownerRole(),
                    ctx.proxmoxUser(spec.owner())));
            return null;
        });
        actions.add("grant", "/vms/" + vmid, ctx.settings.ownerRole() + " to " + ctx.proxmoxUser(spec.owner()));
    }

    /**
     * The tags a guest of ours carries: {@code proxplane} and its owner tag, plus whatever other tags
     * it has now (an admin's labels are kept). Owner tags naming anyone else, or the legacy
     * {@code pp-<id>}, are dropped: a guest names one owner.
     */
    static List<String> tags(OwnerTag owner, List<String> current) {
        TreeSet<String> out = new TreeSet<>();
        for (String t : current) {
            if (!t.isBlank() && !OwnerTag.isOwnerTag(t)) out.add(t);
        }
        out.add(Guest.TAG);
        out.add(owner.render());
        return List.copyOf(out);
    }

    static NetworkInterface net0(ContainerAddresses a, String bridge) {
        return NetworkInterface.builder("eth0").bridge(bridge).hwaddr(a.mac().toUpperCase())
                .ip(a.ipv4() + "/" + a.prefixLength()).gw(a.gateway()).build();
    }

    static Features features(ContainerSpec spec) {
        ContainerSpec.Features f = spec.features();
        return new Features(f.nesting() ? Boolean.TRUE : null, f.keyctl() ? Boolean.TRUE : null,
                f.fuse() ? Boolean.TRUE : null, null, null, List.of());
    }

    private void updateInPlace(ContainerSpec spec, Site site, Container row, ContainerAddresses addr, Guest guest,
                               SiteView.ClusterView cluster, Actions actions, List<String> pending, List<String> replace) {
        ProxmoxClient client = cluster.client();
        String node = guest.node();
        String bridge = Placement.setting(site.spec().nodeOverrides(), node, "bridge", site.spec().bridge());
        for (int attempt = 1; ; attempt++) {
            LxcConfig cfg = ctx.errors.retrying("read config of lxc/" + addr.vmid(), () -> client.lxc().config(node, addr.vmid()));
            OwnerTag owner = owner(ctx, site, row);
            Map<String, String> want = desiredConfig(spec, site, owner, cfg.tags(), addr, bridge);
            Map<String, String> have = comparable(cfg);
            List<String> changed = new ArrayList<>();
            want.forEach((k, v) -> {
                if (!Objects.equals(v, have.get(k))) changed.add(k);
            });
            List<String> removed = new ArrayList<>();
            for (String k : List.of("env", "entrypoint", "features")) {
                if (!want.containsKey(k) && have.containsKey(k)) removed.add(k);
            }
            if (!changed.isEmpty() || !removed.isEmpty()) {
                if ("running".equals(guest.status())) {
                    // Options Proxmox keeps pending until a restart must not be sent again on every apply.
                    Map<String, PendingChange> pend = new HashMap<>();
                    for (PendingChange p : client.lxc().pending(node, addr.vmid())) pend.put(p.key(), p);
                    changed.removeIf(k -> {
                        PendingChange p = pend.get(k);
                        if (p != null && p.pending() != null && Objects.equals(normalise(k, p.pending()), want.get(k))) {
                            if (!pending.contains(k)) pending.add(k);
                            return true;
                        }
                        return false;
                    });
                    removed.removeIf(k -> {
                        PendingChange p = pend.get(k);
                        if (p != null && p.delete()) {
                            if (!pending.contains(k)) pending.add(k);
                            return true;
                        }
                        return false;
                    });
                }
            }
            if (changed.isEmpty() && removed.isEmpty()) {
                resize(spec, cfg, node, addr.vmid(), client, actions, replace);
                return;
            }
            LxcConfigUpdate.Builder u = LxcConfigUpdate.builder().digest(cfg.digest());
            for (String k : changed) {
                switch (k) {
                    case "hostname" -> u.hostname(spec.hostname());
                    case "cores" -> u.cores(spec.cores());
                    case "memory" -> u.memory((int) spec.memoryMb());
                    case "swap" -> u.swap((int) spec.swapMb());
                    case "searchdomain" -> u.searchdomain(site.spec().dnsDomain());
                    case "tags" -> u.tags(tags(owner, cfg.tags()));
                    case "features" -> u.features(features(spec));
                    case "env" -> u.env(spec.env());
                    case "entrypoint" -> u.entrypoint(spec.entrypoint());
                    case "net0" -> u.net(0, net0(addr, bridge));
                    default -> throw new IllegalStateException(k);
                }
            }
            removed.forEach(u::delete);
            try {
                ctx.errors.retrying("update config of lxc/" + addr.vmid(), () -> {
                    client.lxc().updateConfig(node, addr.vmid(), u.build());
                    return null;
                });
                List<String> all = new ArrayList<>(changed);
                all.addAll(removed);
                actions.add("update-config", "lxc/" + addr.vmid(), String.join(",", all));
            } catch (EngineException e) {
                if (e.proxmoxCause(ConfigurationChangedException.class).isPresent() && attempt < 3) {
                    continue; // someone else wrote the config between our read and write: read again
                }
                throw e;
            }
            // loop once more to pick up pending state and the disk
        }
    }

    private void resize(ContainerSpec spec, LxcConfig cfg, String node, int vmid, ProxmoxClient client, Actions actions,
                        List<String> replace) {
        long have = cfg.rootfs().map(r -> sizeGiB(r.size())).orElse(spec.diskGb());
        if (spec.diskGb() > have) {
            Upid upid = ctx.errors.retrying("grow rootfs of lxc/" + vmid,
                    () -> client.lxc().resize(node, vmid, "rootfs", spec.diskGb() + "G", null));
            images.await(client, upid, "grow rootfs of lxc/" + vmid);
            actions.add("resize", "lxc/" + vmid, "rootfs " + have + "G -> " + spec.diskGb() + "G");
        } else if (spec.diskGb() < have) {
            replace.add("diskGb");
        }
    }

    static long sizeGiB(String size) {
        if (size == null || size.isEmpty()) return 0;
        char unit = size.charAt(size.length() - 1);
        double n = Double.parseDouble(Character.isDigit(unit) ? size : size.substring(0, size.length() - 1));
        double gib = switch (unit) {
            case 'T' -> n * 1024;
            case 'M' -> n / 1024;
            case 'K' -> n / 1024 / 1024;
            case 'G' -> n;
            default -> n / 1024 / 1024 / 1024;
        };
        return (long) Math.ceil(gib);
    }

    /** The options the engine owns, rendered the way they are compared. */
    private static Map<String, String> desiredConfig(ContainerSpec spec, Site site, OwnerTag owner, List<String> currentTags,
                                                     ContainerAddresses addr, String bridge) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("hostname", spec.hostname());
        m.put("cores", String.valueOf(spec.cores()));
        m.put("memory", String.valueOf(spec.memoryMb()));
        m.put("swap", String.valueOf(spec.swapMb()));
        m.put("searchdomain", site.spec().dnsDomain());
        m.put("tags", String.join(";", new TreeSet<>(tags(owner, currentTags))));
        Features f = features(spec);
        if (!f.isEmpty()) m.put("features", normalise("features", f.toPropertyString()));
        if (!spec.env().isEmpty()) m.put("env", normalise("env", envText(spec.env())));
        if (spec.entrypoint() != null) m.put("entrypoint", spec.entrypoint());
        m.put("net0", normalise("net0", net0(addr, bridge).toPropertyString()));
        return m;
    }

    private static Map<String, String> comparable(LxcConfig cfg) {
        Map<String, String> m = new HashMap<>();
        cfg.raw().forEach((k, v) -> m.put(k, normalise(k, v)));
        return m;
    }

    private static String envText(Map<String, String> env) {
        StringBuilder sb = new StringBuilder();
        new java.util.TreeMap<>(env).forEach((k, v) -> sb.append(k).append('=').append(v).append('\0'));
        return sb.toString();
    }

    /** One spelling per value, so Proxmox's canonical rendering compares equal to ours. */
    static String normalise(String key, String value) {
        if (value == null) return null;
        return switch (key) {
            case "tags" -> String.join(";", new TreeSet<>(List.of(value.split("[;, ]+"))));
            case "features" -> {
                Features f = Features.parse(value);
                yield "nesting=" + Boolean.TRUE.equals(f.nesting()) + ",keyctl=" + Boolean.TRUE.equals(f.keyctl())
                        + ",fuse=" + Boolean.TRUE.equals(f.fuse());
            }
            case "env" -> {
                Map<String, String> env = new java.util.TreeMap<>();
                for (String e : value.split("\0")) {
                    int eq = e.indexOf('=');
                    if (eq > 0) env.put(e.substring(0, eq), e.substring(eq + 1));
                }
                yield envText(env);
            }
            case "net0" -> {
                NetworkInterface n = NetworkInterface.parse(value);
                yield n.name() + "|" + n.bridge() + "|" + (n.hwaddr() == null ? null : n.hwaddr().toUpperCase())
                        + "|" + n.ip() + "|" + n.gw();
            }
            case "cores", "memory", "swap" -> {
                try {
                    yield String.valueOf((long) Double.parseDouble(value));
                } catch (NumberFormatException e) {
                    yield value;
                }
            }
            default -> value;
        };
    }

    private Guest power(ContainerSpec spec, Guest guest, SiteView.ClusterView cluster, Actions actions) {
        ProxmoxClient client = cluster.client();
        boolean running = "running".equals(guest.status());
        if (spec.powerState() == PowerState.RUNNING && !running) {
            Upid upid = ctx.errors.retrying("start lxc/" + guest.vmid(), () -> client.lxc().start(guest.node(), guest.vmid()));
            images.await(client, upid, "start lxc/" + guest.vmid());
            actions.add("start", "lxc/" + guest.vmid(), "was " + guest.status());
            return withStatus(guest, "running");
        }
        if (spec.powerState() == PowerState.STOPPED && running) {
            Upid upid = ctx.errors.retrying("shut down lxc/" + guest.vmid(),
                    () -> client.lxc().shutdown(guest.node(), guest.vmid(), 30, true));
            images.await(client, upid, "shut down lxc/" + guest.vmid());
            actions.add("shutdown", "lxc/" + guest.vmid(), null);
            return withStatus(guest, "stopped");
        }
        return guest;
    }

    private static Guest withStatus(Guest g, String status) {
        return new Guest(g.vmid(), g.node(), status, g.tags(), g.lock(), g.maxmem(), g.maxcpu(), g.maxdisk());
    }

    // ------------------------------------------------------------------ delete

    /** Stops and destroys the LXC (only if it carries this container's tag), then drops the row and its allocations. */
    public ContainerResult delete(String manager, String siteName, String name) {
        return delete(Claim.asManager(manager), siteName, name);
    }

    /** As {@link #delete(String, String, String)}, if {@code claim} may: its holder, or anyone of its manager while unclaimed. */
    public ContainerResult delete(Claim claim, String siteName, String name) {
        return EngineErrors.guard(() -> deleteUnguarded(claim, siteName, name));
    }

    private ContainerResult deleteUnguarded(Claim claim, String siteName, String name) {
        String manager = claim.manager();
        Site site = ctx.site(siteName);
        Actions actions = ctx.recovery.resolveAbandoned(site, IntentRecovery.Target.container(name, claim));
        Optional<Container> existing = ctx.registry.containers().findByName(site.id(), name);
        if (existing.isEmpty()) {
            return new ContainerResult(new ContainerStatus(0, siteName, name, null, null, null, null, null, "deleted", null),
                    actions.list(), List.of(), List.of(), List.of());
        }
        Container row = existing.get();
        EngineContext.requireDeleteClaim("container", key(siteName, name), row.meta(), claim);
        ctx.registry.containers().recordIntent(manager, row.id(), "delete", null, ctx.session.id());
        if (row.vmid() != null) {
            SiteView view = ctx.clusters.observe(site, ctx.errors);
            Optional<Guest> seen = view.guest(row.vmid());
            if (seen.isPresent()) {
                ProxmoxClient client = view.clusterOfNode(seen.get().node()).orElseThrow().client();
                Guest g = settle(client, row, seen.get().node(), seen.get());
                // only a guest provably this container's; a foreign one at the vmid is left alone
                Guest mine = g == null ? null : claim(view, site, row, g, actions);
                if (mine != null) {
                    destroy(client, mine, actions);
                } else if (g != null && DESTROYED_LOCK.equals(g.lock()) && g.tags().isEmpty()
                        && "delete".equals(row.intent())) {
                    // this container's earlier delete, whose destroy Proxmox did not finish (see destroy)
                    actions.add("destroy-lxc", "lxc/" + g.vmid(), lockedDestroyedNote(g));
                    finishLockedDestroyed(client, g, actions);
                }
            }
        }
        ctx.registry.containers().delete(claim, row.id());
        actions.add("unregister", key(siteName, name), "released vmid " + row.vmid() + ", mac " + row.mac()
                + ", ipv4 " + row.ipv4());
        if (row.spec().owner() != null) {
            // the owner's Proxmox user, if proxplane made it and no other container here (or grant) uses it
            ctx.removeUnused(ProxmoxObjects.USER, List.of(row.spec().owner()), actions);
        }
        return new ContainerResult(new ContainerStatus(row.id(), siteName, name, null, null, null, null, null, "deleted",
                manager), actions.list(), List.of(), List.of(), List.of());
    }

    void destroy(ProxmoxClient client, Guest g, Actions actions) {
        try {
            if ("running".equals(g.status())) {
                Upid stop = ctx.errors.retrying("stop lxc/" + g.vmid(), () -> client.lxc().stop(g.node(), g.vmid()));
                images.await(client, stop, "stop lxc/" + g.vmid());
                actions.add("stop", "lxc/" + g.vmid(), null);
            }
            Upid upid = ctx.errors.retrying("destroy lxc/" + g.vmid(), () -> client.lxc().destroy(g.node(), g.vmid(),
                    DestroyOptions.defaults().withPurge(true).withForce(true).withDestroyUnreferencedDisks(true)));
            try {
                images.await(client, upid, "destroy lxc/" + g.vmid());
            } catch (EngineException failed) {
                if (!leftLockedDestroyed(client, g)) throw failed;
                actions.add("destroy-lxc", "lxc/" + g.vmid(), lockedDestroyedNote(g) + "; the task failed: " + failed.getMessage());
                finishLockedDestroyed(client, g, actions);
                return;
            }
            actions.add("destroy-lxc", "lxc/" + g.vmid(), "purged");
        } catch (EngineException e) {
            if (!ProxmoxErrors.isNotFound(e)) throw e;
            // already destroyed: nothing left to do
        }
    }

    /**
     * Proxmox's destroy removes the volumes first, then replaces the config by one holding only
     * {@code lock: destroyed}, then removes ACLs, firewall and purge entries and finally the config.
     * A task failing after the volumes are gone leaves that empty config: the container is destroyed
     * (nothing of it is left to converge), but its vmid stays taken until an administrator runs
     * {@code pct unlock} on the node; no API call may clear a lock. The engine finishes its delete
     * and says so, rather than failing every later apply on a lock it cannot lift.
     */
    private boolean leftLockedDestroyed(ProxmoxClient client, Guest g) {
        try {
            LxcConfig cfg = ctx.errors.retrying("read config of lxc/" + g.vmid(), () -> client.lxc().config(g.node(), g.vmid()));
            return cfg.lock().filter(DESTROYED_LOCK::equals).isPresent();
        } catch (EngineException e) {
            if (ProxmoxErrors.isNotFound(e)) return false; // gone after all: the caller reports the failure it saw
            throw e;
        }
    }

    static final String DESTROYED_LOCK = "destroyed";

    /**
     * Does for a guest left locked 'destroyed' what Proxmox's destroy would have done after the
     * volumes: its ACL entries and its pool membership go (so that its pool can be deleted later).
     * Idempotent; the empty config itself stays, as only {@code pct unlock} on the node lifts it.
     */
    private void finishLockedDestroyed(ProxmoxClient client, Guest g, Actions actions) {
        String path = "/vms/" + g.vmid();
        List<AclEntry> acl = ctx.errors.retrying("read the ACL", () -> client.acl().list());
        for (AclEntry a : acl) {
            if (!a.path().equals(path)) continue;
            AclUpdate grant = switch (a.type()) {
                case "user" -> AclUpdate.grantToUser(path, a.roleid(), a.ugid());
                case "group" -> AclUpdate.grantToGroup(path, a.roleid(), a.ugid());
                case "token" -> AclUpdate.grantToToken(path, a.roleid(), a.ugid());
                default -> null;
            };
            if (grant == null) continue;
            ctx.errors.retrying("revoke " + a.roleid() + " on " + path, () -> {
                client.acl().update(grant.revoke());
                return null;
            });
            actions.add("revoke", path, a.roleid() + " from " + a.ugid());
        }
        Optional<String> pool = ctx.errors.retrying("read cluster resources", () -> client.cluster().resources(ClusterResource.Type.VM))
                .stream().filter(r -> r.vmid() != null && r.vmid() == g.vmid()).map(ClusterResource::pool)
                .filter(p -> p != null && !p.isEmpty()).findFirst();
        if (pool.isPresent()) {
            try {
                ctx.errors.retrying("remove lxc/" + g.vmid() + " from pool " + pool.get(), () -> {
                    client.pools().update(PoolUpdate.removeVms(pool.get(), List.of(g.vmid())));
                    return null;
                });
                actions.add("leave-pool", "lxc/" + g.vmid(), pool.get());
            } catch (EngineException e) {
                if (!ProxmoxErrors.isNotFound(e)) throw e; // the pool is gone already
            }
        }
    }

    static String lockedDestroyedNote(Guest g) {
        return "Proxmox removed its volumes but left an empty configuration locked 'destroyed' that holds vmid "
                + g.vmid() + " until an administrator runs `pct unlock " + g.vmid() + " && pct destroy " + g.vmid()
                + "` on node " + g.node();
    }

    // ------------------------------------------------------------------ observe

    /** One container, the way the original polled: one status request for this container alone. */
    public ContainerStatus observe(String siteName, String name) {
        return EngineErrors.guard(() -> observeUnguarded(siteName, name));
    }

    private ContainerStatus observeUnguarded(String siteName, String name) {
        Site site = ctx.site(siteName);
        Container row = ctx.registry.containers().findByName(site.id(), name).orElseThrow(() -> new EngineException(
                EngineException.Kind.NOT_FOUND, "container '" + key(siteName, name) + "' does not exist", null));
        if (row.vmid() == null || row.spec().node() == null) {
            return status(site, row, "pending");
        }
        ProxmoxClient client = ctx.clusters.client(site.spec().proxmoxEndpoints().get(0));
        try {
            Guest g = Guest.of(row.spec().node(), ctx.errors.retrying("status of lxc/" + row.vmid(),
                    () -> client.lxc().status(row.spec().node(), row.vmid())));
            // a legacy tag is shown as the container's here; apply and resync prove it before acting on it
            boolean ours = g.ours(owner(ctx, site, row)) || g.legacyId() == row.id();
            return status(site, row, ours ? g.status() : "missing");
        } catch (EngineException e) {
            if (ProxmoxErrors.isNotFound(e)) return status(site, row, "missing");
            throw e;
        }
    }

    /**
     * The full spec last applied for this container (env, entrypoint, features and keys included),
     * empty when the container is unknown or was registered without the engine. Front doors use it
     * to import a container into their own representation.
     */
    public Optional<ContainerSpec> storedSpec(String siteName, String name) {
        return EngineErrors.guard(() -> storedSpecUnguarded(siteName, name));
    }

    private Optional<ContainerSpec> storedSpecUnguarded(String siteName, String name) {
        Site site = ctx.site(siteName);
        return ctx.registry.containers().findByName(site.id(), name).flatMap(c -> ctx.store.spec(c.id()));
    }

    static ContainerStatus status(Site site, Container c, String state) {
        return new ContainerStatus(c.id(), site.name(), c.name(), c.vmid(), c.spec().node(), c.mac(), c.ipv4(),
                c.spec().hostname() + "." + site.spec().dnsDomain(), state, c.meta().managedBy());
    }

    static String key(String site, String name) {
        return site + "/" + name;
    }
}
