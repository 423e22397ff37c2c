package io.proxplane.pvesim.routes;

import static io.proxplane.pvesim.api.Param.str;
import static io.proxplane.pvesim.routes.PermCheck.perm;

import io.proxplane.pvesim.api.ApiException;
import io.proxplane.pvesim.api.Param;
import io.proxplane.pvesim.state.ClusterState;
import io.proxplane.pvesim.state.Container;
import io.proxplane.pvesim.state.Node;
import io.proxplane.pvesim.state.Pool;
import io.proxplane.pvesim.state.Storage;
import io.proxplane.pvesim.tasks.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /version, /cluster/*, /nodes and /nodes/{node}/status. */
final class ClusterRoutes {
    private ClusterRoutes() {}

    static List<Route> routes() {
        return List.of(
                Route.of("GET", "/version").handle(ClusterRoutes::version),
                Route.of("GET", "/cluster/resources").params(str("type").enums("vm", "storage", "node", "sdn"))
                        .handle(ClusterRoutes::resources),
                Route.of("GET", "/cluster/nextid").params(Param.vmid()).handle(ClusterRoutes::nextid),
                Route.of("GET", "/cluster/tasks").handle(ClusterRoutes::clusterTasks),
                Route.of("GET", "/cluster/status").prot().perm(perm("/", "Sys.Audit")).handle(ClusterRoutes::clusterStatus),
                Route.of("GET", "/nodes").handle(ClusterRoutes::nodes),
                Route.of("GET", "/nodes/{node}/status").params(Param.node())
                        .perm(perm("/nodes/{node}", "Sys.Audit")).handle(ClusterRoutes::nodeStatus));
    }

    private static Object version(Call c) {
        Engine e = c.engine();
        String v = e.config().pveVersion();
        String[] parts = v.split("\\.");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", v);
        m.put("release", parts.length >= 2 ? parts[0] + "." + parts[1] : v);
        m.put("repoid", e.config().repoid());
        return m;
    }

    private static Object nextid(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            if (c.has("vmid")) {
                int vmid = c.vmid();
                if (e.state().containers.containsKey(vmid)) throw ApiException.param("vmid", "VM " + vmid + " already exists");
                return Integer.toString(vmid);
            }
            for (int id = 100; id < 1_000_000; id++) {
                if (!e.state().containers.containsKey(id)) return Integer.toString(id);
            }
            throw ApiException.fail("unable to get any free VMID in range [100, 1000000]");
        }
    }

    private static Object resources(Call c) {
        Engine e = c.engine();
        String type = c.str("type");
        ClusterState st = e.state();
        List<Object> out = new ArrayList<>();
        synchronized (st) {
            if (type == null || type.equals("vm")) {
                for (Container ct : st.containers.values()) {
                    if (!e.perms().has(c.subject(), "/vms/" + ct.vmid, "VM.Audit")) continue;
                    out.add(guestResource(e, ct));
                }
            }
            if (type == null || type.equals("node")) {
                for (Node n : st.nodes.values()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", "node/" + n.name);
                    m.put("type", "node");
                    m.put("node", n.name);
                    m.put("status", n.online ? "online" : "offline");
                    m.put("level", "");
                    if (n.online && e.perms().has(c.subject(), "/nodes/" + n.name, "Sys.Audit")) {
                        nodeUsage(e, n, m);
                    }
                    m.put("cgroup-mode", 2);
                    out.add(m);
                }
            }
            if (type == null || type.equals("storage")) {
                for (Node n : st.nodes.values()) {
                    for (Storage s : n.storages.values()) {
                        if (!e.perms().hasAny(c.subject(), "/storage/" + s.id, "Datastore.Audit", "Datastore.AllocateSpace")) continue;
                        out.add(storageResource(n, s));
                    }
                }
            }
            if (type == null || type.equals("sdn")) {
                for (Node n : st.nodes.values()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", "sdn/" + n.name + "/localnetwork");
                    m.put("type", "sdn");
                    m.put("sdn", "localnetwork");
                    m.put("node", n.name);
                    m.put("status", "ok");
                    out.add(m);
                }
            }
            if (type == null) {
                for (Pool p : st.pools.values()) {
                    if (!e.perms().has(c.subject(), "/pool/" + p.poolid, "Pool.Audit")) continue;
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", "/pool/" + p.poolid);
                    m.put("type", "pool");
                    m.put("pool", p.poolid);
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** A guest entry: config-derived fields live, RRD-derived fields (status, name, usage) with the lag. */
    static Map<String, Object> guestResource(Engine e, Container ct) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "lxc/" + ct.vmid);
        m.put("type", "lxc");
        m.put("vmid", ct.vmid);
        m.put("node", ct.node);
        String status = e.reportedStatus(ct);
        m.put("status", status);
        boolean reported = e.reportedYet(ct) && !"create".equals(ct.lock());
        if (reported && !"unknown".equals(status)) {
            Map<String, Object> live = LxcRoutes.statusEntry(e, ct);
            boolean running = "running".equals(status);
            if (live.containsKey("name")) m.put("name", live.get("name"));
            m.put("uptime", running ? live.get("uptime") : 0);
            m.put("maxcpu", live.get("cpus"));
            m.put("cpu", running ? live.get("cpu") : 0);
            m.put("maxmem", live.get("maxmem"));
            m.put("mem", running ? live.get("mem") : 0);
            m.put("maxdisk", live.get("maxdisk"));
            m.put("disk", running ? live.get("disk") : 0);
            m.put("netin", running ? live.get("netin") : 0);
            m.put("netout", running ? live.get("netout") : 0);
            m.put("diskread", 0);
            m.put("diskwrite", 0);
        }
        m.put("template", "1".equals(ct.config.get("template")) ? 1 : 0);
        Pool pool = e.state().poolOf(ct.vmid);
        if (pool != null) m.put("pool", pool.poolid);
        if (ct.config.containsKey("tags")) m.put("tags", ct.config.get("tags"));
        if (ct.lock() != null) m.put("lock", ct.lock());
        return m;
    }

    private static void nodeUsage(Engine e, Node n, Map<String, Object> m) {
        m.put("uptime", e.now() - n.bootEpoch);
        m.put("cpu", 0.0213);
        m.put("maxcpu", 8);
        m.put("mem", 4L << 30);
        m.put("maxmem", 32L << 30);
        m.put("disk", 12L << 30);
        m.put("maxdisk", 100L << 30);
    }

    private static Object nodes(Call c) {
        Engine e = c.engine();
        List<Object> out = new ArrayList<>();
        synchronized (e.state()) {
            for (Node n : e.state().nodes.values()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("node", n.name);
                m.put("status", n.online ? "online" : "offline");
                m.put("id", "node/" + n.name);
                m.put("type", "node");
                m.put("level", "");
                if (n.online && e.perms().has(c.subject(), "/nodes/" + n.name, "Sys.Audit")) nodeUsage(e, n, m);
                m.put("ssl_fingerprint", e.certificateFingerprint());
                out.add(m);
            }
        }
        return out;
    }

    private static Object nodeStatus(Call c) {
        Engine e = c.engine();
        Node n;
        synchronized (e.state()) {
            n = e.node(c.node());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uptime", e.now() - n.bootEpoch);
        m.put("cpu", 0.0213);
        m.put("wait", 0.0004);
        m.put("loadavg", List.of("0.12", "0.18", "0.21"));
        m.put("cpuinfo", Map.of("cores", 4, "cpus", 8, "sockets", 1, "model", "Simulated CPU @ 3.00GHz", "mhz", "3000.000",
                "hvm", "1", "flags", "sse4_2 avx2"));
        m.put("memory", Map.of("total", 32L << 30, "used", 4L << 30, "free", 28L << 30, "available", 27L << 30));
        m.put("swap", Map.of("total", 8L << 30, "used", 0, "free", 8L << 30));
        m.put("rootfs", Map.of("total", 100L << 30, "used", 12L << 30, "free", 88L << 30, "avail", 83L << 30));
        m.put("ksm", Map.of("shared", 0));
        m.put("kversion", "Linux 6.17.2-1-pve #1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-11-08T10:35Z) x86_64");
        m.put("current-kernel", Map.of("sysname", "Linux", "release", "6.17.2-1-pve", "machine", "x86_64",
                "version", "#1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-11-08T10:35Z)"));
        m.put("boot-info", Map.of("mode", "efi", "secureboot", 0));
        m.put("pveversion", "pve-manager/" + e.config().pveVersion() + "/" + e.config().repoid());
        return m;
    }

    private static Object clusterStatus(Call c) {
        Engine e = c.engine();
        List<Object> out = new ArrayList<>();
        synchronized (e.state()) {
            ClusterState st = e.state();
            if (st.nodes.size() > 1) {
                Map<String, Object> cl = new LinkedHashMap<>();
                cl.put("type", "cluster");
                cl.put("id", "cluster");
                cl.put("name", st.clusterName);
                cl.put("nodes", st.nodes.size());
                long online = st.nodes.values().stream().filter(n -> n.online).count();
                cl.put("quorate", online * 2 > st.nodes.size() ? 1 : 0);
                cl.put("version", st.nodes.size() + 1);
                out.add(cl);
            }
            boolean first = true;
            for (Node n : st.nodes.values()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "node");
                m.put("id", "node/" + n.name);
                m.put("name", n.name);
                m.put("nodeid", n.nodeid);
                m.put("ip", "127.0.0." + n.nodeid);
                m.put("level", "");
                m.put("local", first ? 1 : 0);
                m.put("online", n.online ? 1 : 0);
                first = false;
                out.add(m);
            }
        }
        return out;
    }

    private static Object clusterTasks(Call c) {
        Engine e = c.engine();
        List<Object> out = new ArrayList<>();
        List<Task> tasks = new ArrayList<>(e.tasks().all());
        tasks.sort(Comparator.comparingLong((Task t) -> t.starttime).reversed());
        synchronized (e.state()) {
            for (Task t : tasks) {
                if (!e.isVisibleTo(c.subject(), t)) continue;
                out.add(TaskRoutes.listEntry(t));
            }
        }
        return out;
    }

    /** A storage entry as /cluster/resources (and pool member lists) show it. */
    static Map<String, Object> storageResource(Node n, Storage s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "storage/" + n.name + "/" + s.id);
        m.put("type", "storage");
        m.put("storage", s.id);
        m.put("node", n.name);
        m.put("plugintype", s.type);
        m.put("status", n.online ? "available" : "unknown");
        m.put("shared", 0);
        m.put("content", s.contentString());
        m.put("disk", s.used());
        m.put("maxdisk", s.total);
        return m;
    }
}
