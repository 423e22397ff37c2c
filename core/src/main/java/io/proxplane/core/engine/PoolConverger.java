package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.model.AclEntry;
import io.proxplane.core.proxmox.model.AclUpdate;
import io.proxplane.core.proxmox.model.PoolUpdate;
import io.proxplane.core.registry.AclGrant;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.Claim;
import io.proxplane.core.registry.Pool;
import io.proxplane.core.registry.ProxmoxEndpoint;
import io.proxplane.core.registry.Site;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Pools: the registry row (quotas, grants) and, on every Proxmox cluster of every site, the
 * Proxmox pool with the pool's containers as members and exactly the declared ACL grants on
 * {@code /pool/<name>} (users and groups are mirrored into the proxplane realm as needed).
 */
public final class PoolConverger {
    private final EngineContext ctx;

    PoolConverger(EngineContext ctx) {
        this.ctx = ctx;
    }

    public record Status(long id, String name, int containers, long cores, long memoryMb, long diskGb, String managedBy) {}

    public record Result(Status status, List<Action> actions) {}

    /** {@link #apply(Claim, PoolSpec)} for the manager as a whole ({@link Claim#asManager}: no resource claim checked or set). */
    public Result apply(String manager, PoolSpec spec) {
        return apply(Claim.asManager(manager), spec);
    }

    /**
     * Creates or updates as {@code claim} may: another manager's pool is refused (OWNERSHIP),
     * another resource's (or, for a create, any existing one) with CONFLICT naming its holder,
     * before any registry write or Proxmox call.
     */
    public Result apply(Claim claim, PoolSpec spec) {
        return EngineErrors.guard(() -> applyUnguarded(claim, spec));
    }

    private Result applyUnguarded(Claim claim, PoolSpec spec) {
        String manager = claim.manager();
        Actions actions = ctx.recovery.resolveAbandonedPools(IntentRecovery.Target.pool(spec.name(), claim));
        Optional<Pool> existing = ctx.registry.pools().findByName(spec.name());
        existing.ifPresent(p -> EngineContext.requireClaim("pool", spec.name(), p.meta(), claim));
        var q = spec.quotas();
        var wanted = new io.proxplane.core.registry.PoolSpec(spec.name(), q.maxContainers(), q.maxCores(), q.maxMemoryMb(),
                q.maxDiskGb(), spec.aclGrants().stream().map(g -> new AclGrant(g.group(), g.user(), g.role())).toList());
        // A pool is "new" until its first converge finished: the intent is written before the row,
        // so a failure (or crash) in between is rolled back or resumed, never taken for a finished pool.
        Optional<String> intent = existing.isPresent() ? ctx.objects.poolIntent(spec.name()) : Optional.empty();
        boolean resuming = intent.filter("create"::equals).isPresent();
        boolean fresh = existing.isEmpty() || resuming;
        if (existing.isEmpty()) {
            ctx.objects.setPoolIntent(spec.name(), "create", ctx.session.id());
        }
        List<AclGrant> grantsBefore = existing.map(p -> p.spec().aclGrants()).orElse(List.of());
        Pool pool = existing.orElse(null);
        if (pool == null || !pool.spec().equals(wanted) || claim.claims(pool.meta().claimedBy())) {
            pool = EngineContext.owned(() -> ctx.registry.pools().upsert(claim, wanted));
            actions.add(existing.isEmpty() ? "register" : "update", "pool " + spec.name(), null);
        }
        if (resuming) {
            actions.add("resume", "pool " + spec.name(), "its first apply did not finish");
        }
        List<Container> members = members(pool);
        List<AclGrant> revoked = new ArrayList<>();
        try {
            for (ProxmoxEndpoint endpoint : endpoints()) {
                ProxmoxClient client = ctx.clusters.client(endpoint);
                String url = endpoint.url();
                ctx.forget(url, "pool:" + spec.name()); // a pool is cheap to check and may have been removed by hand
                if (ctx.ensureProxmoxPool(url, client, spec.name())) {
                    actions.add("create-pool", url, spec.name());
                }
                syncMembers(client, spec.name(), members, actions);
                syncGrants(url, client, spec, actions, revoked);
            }
        } catch (RuntimeException e) {
            if (fresh) rollBack(manager, pool, e);
            throw e;
        }
        if (fresh || intent.isPresent()) {
            // also an interrupted delete of this pool: applying it again supersedes the delete
            ctx.objects.clearPoolIntent(spec.name());
        }
        // users and groups made only for a grant this apply revoked
        removeUnusedPrincipals(union(grantsBefore, revoked), actions);
        return new Result(status(pool, members), actions.list());
    }

    /**
     * Undoes a pool's failed first converge: its Proxmox pools (those proxplane made), grants, the
     * users and groups made for them, and the registry row. If undoing fails too, the row and the
     * intent stay, and the next apply resumes the create (or the delete finishes it); the undo's
     * failure is attached to the original error, which is the one reported.
     */
    private void rollBack(String manager, Pool pool, RuntimeException cause) {
        try {
            Actions ignored = new Actions();
            List<AclGrant> revoked = new ArrayList<>();
            tearDown(pool.name(), ignored, revoked);
            ctx.registry.pools().delete(manager, pool.id());
            ctx.objects.clearPoolIntent(pool.name());
            removeUnusedPrincipals(union(pool.spec().aclGrants(), revoked), ignored);
        } catch (RuntimeException undo) {
            cause.addSuppressed(undo);
        }
    }

    /**
     * Resolves a pool intent whose engine is gone ({@link IntentRecovery}): an interrupted first
     * converge is rolled back, an interrupted delete finished. Both remove the same things: the
     * Proxmox pools proxplane made and their grants (from the mirror records), the registry row,
     * the intent, and the users and groups made only for the pool's grants. A pool that containers
     * use by now is kept (its intent cleared; its next apply converges it).
     */
    void recover(String name, String intent, Actions actions) {
        String verb = "create".equals(intent) ? "recover-rollback" : "recover-delete";
        Optional<Pool> row = ctx.registry.pools().findByName(name);
        if (row.isPresent()) {
            List<Container> members = members(row.get());
            if (!members.isEmpty()) {
                ctx.objects.clearPoolIntent(name);
                actions.add("recover-keep", "pool " + name, "interrupted " + intent + " of an engine that is gone, but "
                        + members.size() + " containers use the pool now");
                return;
            }
        }
        List<AclGrant> revoked = new ArrayList<>();
        tearDown(name, actions, revoked);
        row.ifPresent(p -> ctx.registry.pools().delete(p.meta().managedBy(), p.id()));
        ctx.objects.clearPoolIntent(name);
        actions.add(verb, "pool " + name, "interrupted " + intent + " of an engine that is gone");
        removeUnusedPrincipals(union(row.map(p -> p.spec().aclGrants()).orElse(List.of()), revoked), actions);
    }

    private static List<AclGrant> union(List<AclGrant> a, List<AclGrant> b) {
        List<AclGrant> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private void removeUnusedPrincipals(List<AclGrant> grants, Actions actions) {
        ctx.removeUnused(ProxmoxObjects.USER, grants.stream().map(AclGrant::user).filter(Objects::nonNull).toList(), actions);
        ctx.removeUnused(ProxmoxObjects.GROUP, grants.stream().map(AclGrant::group).filter(Objects::nonNull).toList(), actions);
    }

    private void syncMembers(ProxmoxClient client, String name, List<Container> members, Actions actions) {
        var proxmoxPool = ctx.errors.retrying("read pool " + name, () -> client.pools().get(name));
        Set<Integer> have = new HashSet<>();
        proxmoxPool.members().forEach(m -> { if (m.vmid() != null) have.add(m.vmid()); });
        // Only a guest carrying the member's owner tag is added: a row's vmid may be held by another
        // registry's guest (our create failed, theirs took the number), and moving that guest into
        // this pool would take it from its own pool.
        Map<Integer, List<String>> tagsByVmid = new HashMap<>();
        ctx.errors.retrying("read /cluster/resources", () -> client.cluster().resources())
                .forEach(r -> { if (r.vmid() != null) tagsByVmid.put(r.vmid(), r.tags()); });
        List<Integer> missing = members.stream().filter(c -> c.vmid() != null && !have.contains(c.vmid()))
                .filter(c -> tagsByVmid.getOrDefault(c.vmid(), List.of()).contains(
                        new OwnerTag(ctx.registry.identity(), c.spec().siteId(), c.id()).render()))
                .map(Container::vmid).sorted().toList();
        if (!missing.isEmpty()) {
            ctx.errors.retrying("add members to pool " + name, () -> {
                client.pools().update(PoolUpdate.addVms(name, missing).withAllowMove(true));
                return null;
            });
            actions.add("add-members", "pool " + name, missing.toString());
        }
    }

    /**
     * Grants exactly the declared ACL entries on the pool and revokes the rest; what it revoked is
     * added to {@code revoked}, so the users and groups behind them are checked for removal even when
     * the registry no longer remembers the grant (an earlier apply updated the row, then failed).
     */
    private void syncGrants(String url, ProxmoxClient client, PoolSpec spec, Actions actions, List<AclGrant> revoked) {
        String path = "/pool/" + spec.name();
        List<AclEntry> current = ctx.errors.retrying("read ACL", () -> client.acl().list()).stream()
                .filter(e -> e.path().equals(path)).toList();
        Set<String> want = new LinkedHashSet<>();
        for (PoolSpec.AclGrant g : spec.aclGrants()) {
            String ugid = g.group() != null ? g.group() : ctx.proxmoxUser(g.user());
            want.add((g.group() != null ? "group" : "user") + "|" + ugid + "|" + g.role());
            boolean present = current.stream().anyMatch(e -> e.ugid().equals(ugid) && e.roleid().equals(g.role()));
            if (present) continue;
            // a missing grant may mean its user/group was removed meanwhile: look again rather than trust the cache
            if (g.group() != null) {
                ctx.forget(url, "group:" + g.group());
                ctx.ensureProxmoxGroup(url, client, g.group());
            } else {
                ctx.forget(url, "user:" + ugid);
                ctx.ensureProxmoxUser(url, client, g.user());
            }
            AclUpdate u = g.group() != null ? AclUpdate.grantToGroup(path, g.role(), g.group())
                    : AclUpdate.grantToUser(path, g.role(), ugid);
            ctx.errors.retrying("grant " + g.role() + " on " + path, () -> { client.acl().update(u); return null; });
            actions.add("grant", path, g.role() + " to " + ugid);
        }
        for (AclEntry e : current) {
            if (!e.type().equals("user") && !e.type().equals("group")) continue;
            if (want.contains(e.type() + "|" + e.ugid() + "|" + e.roleid())) continue;
            AclUpdate u = e.type().equals("group") ? AclUpdate.grantToGroup(path, e.roleid(), e.ugid()).revoke()
                    : AclUpdate.grantToUser(path, e.roleid(), e.ugid()).revoke();
            ctx.errors.retrying("revoke " + e.roleid() + " on " + path, () -> { client.acl().update(u); return null; });
            actions.add("revoke", path, e.roleid() + " from " + e.ugid());
            String realm = "@" + ctx.settings.proxmoxRealm();
            if (e.type().equals("group")) {
                revoked.add(new AclGrant(e.ugid(), null, e.roleid()));
            } else if (e.ugid().endsWith(realm)) {
                revoked.add(new AclGrant(null, e.ugid().substring(0, e.ugid().length() - realm.length()), e.roleid()));
            }
        }
    }

    /** {@link #delete(Claim, String)} for the manager as a whole. */
    public Result delete(String manager, String name) {
        return delete(Claim.asManager(manager), name);
    }

    /** Deletes if {@code claim} may: its holder, or anyone of its manager while the pool is unclaimed. */
    public Result delete(Claim claim, String name) {
        return EngineErrors.guard(() -> deleteUnguarded(claim, name));
    }

    private Result deleteUnguarded(Claim claim, String name) {
        String manager = claim.manager();
        Actions actions = ctx.recovery.resolveAbandonedPools(IntentRecovery.Target.pool(name, claim));
        Optional<Pool> existing = ctx.registry.pools().findByName(name);
        if (existing.isEmpty()) return new Result(null, actions.list());
        EngineContext.requireDeleteClaim("pool", name, existing.get().meta(), claim);
        List<Container> members = members(existing.get());
        if (!members.isEmpty()) {
            throw new EngineException(EngineException.Kind.IN_USE, "pool '" + name + "' still has " + members.size()
                    + " containers", "move or delete the pool's containers first");
        }
        // recorded before anything is removed: an interrupted delete is finished by the next run
        ctx.objects.setPoolIntent(name, "delete", ctx.session.id());
        List<AclGrant> revoked = new ArrayList<>();
        tearDown(name, actions, revoked);
        ctx.registry.pools().delete(claim, existing.get().id());
        ctx.objects.clearPoolIntent(name);
        actions.add("unregister", "pool " + name, null);
        removeUnusedPrincipals(union(existing.get().spec().aclGrants(), revoked), actions);
        return new Result(null, actions.list());
    }

    /**
     * Removes the pool from every cluster it was mirrored into, as recorded when it was mirrored
     * (not from the sites' rows, which a parallel destroy may have deleted already), plus the
     * current sites' clusters for pools mirrored before the engine kept records. Grants on the
     * pool are revoked everywhere; the Proxmox pool itself is deleted only where proxplane made it.
     */
    private void tearDown(String name, Actions actions, List<AclGrant> revoked) {
        Map<String, ProxmoxObjects.PoolMirror> targets = new LinkedHashMap<>();
        for (ProxmoxObjects.PoolMirror m : ctx.objects.poolMirrors(name)) targets.put(m.endpoint().url(), m);
        for (ProxmoxEndpoint e : endpoints()) targets.putIfAbsent(e.url(), null);
        for (Map.Entry<String, ProxmoxObjects.PoolMirror> t : targets.entrySet()) {
            String url = t.getKey();
            ProxmoxClient client = t.getValue() != null ? ctx.clusters.client(t.getValue().endpoint())
                    : ctx.clusters.client(endpoints().stream().filter(e -> e.url().equals(url)).findFirst().orElseThrow());
            Optional<io.proxplane.core.proxmox.model.Pool> there = proxmoxPool(client, name);
            // Without a mirror record (pools mirrored before the engine kept records, or a first
            // apply refused before it mirrored anything) only a pool this registry marked is ours:
            // a pool of another registry or made by hand keeps its grants too.
            if (there.isPresent() && (t.getValue() != null || ctx.madeHere(there.get().comment()))) {
                boolean made = t.getValue() == null || t.getValue().created();
                syncGrants(url, client, new PoolSpec(name, null, List.of()), actions, revoked);
                if (made) {
                    try {
                        ctx.errors.retrying("delete pool " + name, () -> { client.pools().delete(name); return null; });
                        actions.add("delete-pool", url, name);
                    } catch (EngineException e) {
                        if (!ProxmoxErrors.isNotFound(e)) throw e;
                    }
                }
            }
            ctx.forget(url, "pool:" + name);
            ctx.objects.forgetPoolMirror(name, url);
        }
    }

    private Optional<io.proxplane.core.proxmox.model.Pool> proxmoxPool(ProxmoxClient client, String name) {
        try {
            return Optional.of(ctx.errors.retrying("read pool " + name, () -> client.pools().get(name)));
        } catch (EngineException e) {
            if (ProxmoxErrors.isNotFound(e)) return Optional.empty();
            throw e;
        }
    }

    public Optional<Status> observe(String name) {
        return EngineErrors.guard(() -> observeUnguarded(name));
    }

    private Optional<Status> observeUnguarded(String name) {
        return ctx.registry.pools().findByName(name).map(p -> status(p, members(p)));
    }

    private List<Container> members(Pool pool) {
        return ctx.registry.containers().list().stream().filter(c -> Objects.equals(c.spec().poolId(), pool.id())).toList();
    }

    private List<ProxmoxEndpoint> endpoints() {
        Set<String> seen = new HashSet<>();
        List<ProxmoxEndpoint> out = new ArrayList<>();
        for (Site s : ctx.registry.sites().list()) {
            for (ProxmoxEndpoint e : s.spec().proxmoxEndpoints()) {
                if (seen.add(e.url())) out.add(e);
            }
        }
        return out;
    }

    private static Status status(Pool p, List<Container> members) {
        return new Status(p.id(), p.name(), members.size(),
                members.stream().mapToLong(c -> c.spec().resources().cores()).sum(),
                members.stream().mapToLong(c -> c.spec().resources().memoryMb()).sum(),
                members.stream().mapToLong(c -> c.spec().resources().diskGb()).sum(), p.meta().managedBy());
    }
}
