package io.proxplane.pvesim.routes;

import static io.proxplane.pvesim.api.Param.bool;
import static io.proxplane.pvesim.api.Param.str;
import static io.proxplane.pvesim.routes.PermCheck.perm;

import io.proxplane.pvesim.api.ApiException;
import io.proxplane.pvesim.api.Formats;
import io.proxplane.pvesim.api.Param;
import io.proxplane.pvesim.state.ClusterState;
import io.proxplane.pvesim.state.Container;
import io.proxplane.pvesim.state.Node;
import io.proxplane.pvesim.state.Pool;
import io.proxplane.pvesim.state.Storage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Resource pools (pve-manager API2/Pool.pm), nested up to three levels. */
final class PoolRoutes {
    private PoolRoutes() {}

    static List<Route> routes() {
        Param poolid = str("poolid").req().format("pve-poolid");
        PermCheck allocate = perm("/pool/{poolid}", "Pool.Allocate");
        Object[] updateParams = {bool("allow-move"), str("comment"), bool("delete"), poolid,
                str("storage").format("pve-storage-id-list"), str("vms").format("pve-vmid-list")};
        return List.of(
                Route.of("GET", "/pools")
                        .params(str("poolid").format("pve-poolid"), str("type").enums("qemu", "lxc", "storage").requires("poolid"))
                        .handle(PoolRoutes::index),
                Route.of("POST", "/pools").prot().params(str("comment"), poolid).perm(allocate).handle(PoolRoutes::create),
                Route.of("PUT", "/pools").prot().params(updateParams).perm(allocate).handle(PoolRoutes::update),
                Route.of("DELETE", "/pools").prot().params(poolid).perm(allocate).handle(PoolRoutes::delete),
                Route.of("GET", "/pools/{poolid}").params(poolid, str("type").enums("qemu", "lxc", "storage"))
                        .perm(perm("/pool/{poolid}", "Pool.Audit")).handle(PoolRoutes::readDeprecated),
                Route.of("PUT", "/pools/{poolid}").prot().params(updateParams).perm(allocate).handle(PoolRoutes::update),
                Route.of("DELETE", "/pools/{poolid}").prot().params(poolid).perm(allocate).handle(PoolRoutes::delete));
    }

    private static Pool pool(ClusterState st, String id, String prefix) {
        Pool p = st.pools.get(id);
        if (p == null) throw ApiException.fail(prefix + "pool '" + id + "' does not exist");
        return p;
    }

    private static List<Object> members(Engine e, Pool p, String type) {
        List<Object> out = new ArrayList<>();
        ClusterState st = e.state();
        if (type == null || type.equals("lxc")) {
            for (int vmid : p.vms) {
                Container ct = st.containers.get(vmid);
                if (ct != null) out.add(ClusterRoutes.guestResource(e, ct));
            }
        }
        if (type == null || type.equals("storage")) {
            for (String sid : p.storages) {
                for (Node n : st.nodes.values()) {
                    Storage s = n.storages.get(sid);
                    if (s == null) continue;
                    out.add(ClusterRoutes.storageResource(n, s));
                }
            }
        }
        return out;
    }

    private static Object index(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            List<Object> out = new ArrayList<>();
            if (c.has("poolid")) {
                String id = c.str("poolid");
                e.perms().checkAll(c.subject(), "/pool/" + id, "Pool.Audit");
                Pool p = pool(e.state(), id, "");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("poolid", p.poolid);
                if (p.comment != null) m.put("comment", p.comment);
                m.put("members", members(e, p, c.str("type")));
                out.add(m);
                return out;
            }
            for (Pool p : e.state().pools.values()) {
                if (!e.perms().has(c.subject(), "/pool/" + p.poolid, "Pool.Audit")) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("poolid", p.poolid);
                if (p.comment != null) m.put("comment", p.comment);
                out.add(m);
            }
            return out;
        }
    }

    private static Object readDeprecated(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            Pool p = pool(e.state(), c.str("poolid"), "");
            Map<String, Object> m = new LinkedHashMap<>();
            if (p.comment != null) m.put("comment", p.comment);
            m.put("members", members(e, p, c.str("type")));
            return m;
        }
    }

    private static Object create(Call c) {
        Engine e = c.engine();
        String id = c.str("poolid");
        String prefix = "create pool failed: ";
        synchronized (e.state()) {
            ClusterState st = e.state();
            if (!Character.isLetter(id.charAt(0))) throw ApiException.fail(prefix + "pool name must start with a letter");
            if (st.pools.containsKey(id)) throw ApiException.fail(prefix + "pool '" + id + "' already exists");
            int slash = id.lastIndexOf('/');
            if (slash > 0 && !st.pools.containsKey(id.substring(0, slash))) {
                throw ApiException.fail(prefix + "parent '" + id.substring(0, slash) + "' does not exist");
            }
            st.pools.put(id, new Pool(id, c.str("comment") == null || c.str("comment").isEmpty() ? null : c.str("comment")));
            return null;
        }
    }

    private static Object update(Call c) {
        Engine e = c.engine();
        String prefix = "update pools failed: ";
        synchronized (e.state()) {
            ClusterState st = e.state();
            Pool p = pool(st, c.str("poolid"), prefix);
            boolean delete = c.bool("delete");
            if (c.has("comment")) p.comment = c.str("comment").isEmpty() ? null : c.str("comment");
            List<Integer> vms = new ArrayList<>();
            if (c.has("vms")) Formats.splitList(c.str("vms")).forEach(v -> vms.add(Integer.parseInt(v)));
            for (int vmid : vms) {
                if (!e.perms().canModifyPermissions(c.subject(), "/vms/" + vmid)) {
                    throw ApiException.forbidden("/vms/" + vmid + ", VM.Allocate");
                }
                if (delete) {
                    if (!p.vms.contains(vmid)) throw ApiException.fail(prefix + "VM " + vmid + " is not a pool member");
                    continue;
                }
                if (!st.containers.containsKey(vmid)) throw ApiException.fail(prefix + "VM " + vmid + " does not exist");
                if (p.vms.contains(vmid)) throw ApiException.fail(prefix + "VM " + vmid + " is already a pool member");
                Pool other = st.poolOf(vmid);
                if (other != null && !c.bool("allow-move")) {
                    throw ApiException.fail(prefix + "VM " + vmid + " belongs already to pool '" + other.poolid
                            + "' and 'allow-move' is not set");
                }
            }
            List<String> storages = c.has("storage") ? Formats.splitList(c.str("storage")) : List.of();
            for (String sid : storages) {
                if (!e.perms().canModifyPermissions(c.subject(), "/storage/" + sid)) {
                    throw ApiException.forbidden("/storage/" + sid + ", Datastore.Allocate");
                }
                if (delete) {
                    if (!p.storages.contains(sid)) throw ApiException.fail(prefix + "Storage '" + sid + "' is not a pool member");
                    continue;
                }
                boolean exists = st.nodes.values().stream().anyMatch(n -> n.storages.containsKey(sid));
                if (!exists) throw ApiException.fail(prefix + "storage '" + sid + "' does not exist");
                if (p.storages.contains(sid)) throw ApiException.fail(prefix + "Storage '" + sid + "' is already a pool member");
            }
            for (int vmid : vms) {
                if (delete) {
                    p.vms.remove(vmid);
                } else {
                    st.pools.values().forEach(o -> o.vms.remove(vmid));
                    p.vms.add(vmid);
                }
            }
            for (String sid : storages) {
                if (delete) p.storages.remove(sid);
                else p.storages.add(sid);
            }
            return null;
        }
    }

    private static Object delete(Call c) {
        Engine e = c.engine();
        String prefix = "delete pool failed: ";
        synchronized (e.state()) {
            ClusterState st = e.state();
            String id = c.str("poolid");
            Pool p = pool(st, id, prefix);
            if (!p.vms.isEmpty()) throw ApiException.fail(prefix + "pool '" + id + "' is not empty (contains VM " + p.vms.first() + ")");
            if (!p.storages.isEmpty()) {
                throw ApiException.fail(prefix + "pool '" + id + "' is not empty (contains storage '" + p.storages.first() + "')");
            }
            for (String other : st.pools.keySet()) {
                if (other.startsWith(id + "/")) throw ApiException.fail(prefix + "pool '" + id + "' is not empty (contains child pool '" + other + "')");
            }
            st.pools.remove(id);
            st.acl.removeIf(a -> a.path().equals("/pool/" + id) || a.path().startsWith("/pool/" + id + "/"));
            return null;
        }
    }
}
