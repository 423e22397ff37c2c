package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.model.AclEntry;
import io.proxplane.core.proxmox.model.AclUpdate;
import io.proxplane.core.proxmox.model.PoolUpdate;
import io.proxplane.core.registry.AclGrant;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.Managers;
import io.proxplane.core.registry.Pool;
import io.proxplane.core.registry.ProxmoxEndpoint;
import io.proxplane.core.registry.Site;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
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

    public Result apply(String manager, PoolSpec spec) {
        Managers.check(manager);
        Optional<Pool> existing = ctx.registry.pools().findByName(spec.name());
        existing.ifPresent(p -> EngineContext.requireManager("pool", spec.name(), p.meta(), manager));
        var q = spec.quotas();
        var wanted = new io.proxplane.core.registry.PoolSpec(spec.name(), q.maxContainers(), q.maxCores(), q.maxMemoryMb(),
                q.maxDiskGb(), spec.aclGrants().stream().map(g -> new AclGrant(g.group(), g.user(), g.role())).toList());
        Actions actions = new Actions();
        Pool pool = existing.orElse(null);
        if (pool == null || !pool.spec().equals(wanted)) {
            pool = EngineContext.owned(() -> ctx.registry.pools().upsert(manager, wanted));
            actions.add(existing.isEmpty() ? "register" : "update", "pool " + spec.name(), null);
        }
        List<Container> members = members(pool);
        for (ProxmoxEndpoint endpoint : endpoints()) {
            ProxmoxClient client = ctx.clusters.client(endpoint);
            String url = endpoint.url();
            ctx.forget(url, "pool:" + spec.name()); // a pool is cheap to check and may have been removed by hand
            ctx.ensureProxmoxPool(url, client, spec.name());
            syncMembers(client, spec.name(), members, actions);
            syncGrants(url, client, spec, actions);
        }
        return new Result(status(pool, members), actions.list());
    }

    private void syncMembers(ProxmoxClient client, String name, List<Container> members, Actions actions) {
        var proxmoxPool = ctx.errors.retrying("read pool " + name, () -> client.pools().get(name));
        Set<Integer> have = new HashSet<>();
        proxmoxPool.members().forEach(m -> { if (m.vmid() != null) have.add(m.vmid()); });
        Set<Integer> present = new HashSet<>();
        ctx.errors.retrying("read /cluster/resources", () -> client.cluster().resources())
                .forEach(r -> { if (r.vmid() != null) present.add(r.vmid()); });
        List<Integer> missing = members.stream().map(Container::vmid).filter(Objects::nonNull)
                .filter(v -> !have.contains(v) && present.contains(v)).sorted().toList();
        if (!missing.isEmpty()) {
            ctx.errors.retrying("add members to pool " + name, () -> {
                client.pools().update(PoolUpdate.addVms(name, missing).withAllowMove(true));
                return null;
            });
            actions.add("add-members", "pool " + name, missing.toString());
        }
    }

    private void syncGrants(String url, ProxmoxClient client, PoolSpec spec, Actions actions) {
        String path = "/pool/" + spec.name();
        List<AclEntry> current = ctx.errors.retrying("read ACL", () -> client.acl().list()).stream()
                .filter(e -> e.path().equals(path)).toList();
        Set<String> want = new LinkedHashSet<>();
        for (PoolSpec.AclGrant g : spec.aclGrants()) {
            String ugid = g.group() != null ? g.group() : ctx.proxmoxUser(g.user());
            want.add((g.group() != null ? "group" : "user") + "|" + ugid + "|" + g.role());
            boolean present = current.stream().anyMatch(e -> e.ugid().equals(ugid) && e.roleid().equals(g.role()));
            if (present) continue;
            if (g.group() != null) {
                ctx.ensureProxmoxGroup(url, client, g.group());
            } else {
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
        }
    }

    public Result delete(String manager, String name) {
        Managers.check(manager);
        Optional<Pool> existing = ctx.registry.pools().findByName(name);
        if (existing.isEmpty()) return new Result(null, List.of());
        EngineContext.requireManager("pool", name, existing.get().meta(), manager);
        List<Container> members = members(existing.get());
        if (!members.isEmpty()) {
            throw new EngineException(EngineException.Kind.IN_USE, "pool '" + name + "' still has " + members.size()
                    + " containers", "move or delete the pool's containers first");
        }
        Actions actions = new Actions();
        for (ProxmoxEndpoint endpoint : endpoints()) {
            ProxmoxClient client = ctx.clusters.client(endpoint);
            syncGrants(endpoint.url(), client, new PoolSpec(name, null, List.of()), actions);
            try {
                ctx.errors.retrying("delete pool " + name, () -> { client.pools().delete(name); return null; });
                actions.add("delete-pool", endpoint.url(), name);
            } catch (EngineException e) {
                if (!ProxmoxErrors.isNotFound(e)) throw e;
                // already removed
            }
            ctx.forget(endpoint.url(), "pool:" + name);
        }
        ctx.registry.pools().delete(manager, existing.get().id());
        actions.add("unregister", "pool " + name, null);
        return new Result(null, actions.list());
    }

    public Optional<Status> observe(String name) {
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
