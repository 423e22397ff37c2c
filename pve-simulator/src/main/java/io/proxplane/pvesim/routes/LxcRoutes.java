package io.proxplane.pvesim.routes;

import static io.proxplane.pvesim.api.Param.bool;
import static io.proxplane.pvesim.api.Param.integer;
import static io.proxplane.pvesim.api.Param.str;
import static io.proxplane.pvesim.routes.PermCheck.any;
import static io.proxplane.pvesim.routes.PermCheck.perm;

import io.proxplane.pvesim.api.ApiException;
import io.proxplane.pvesim.api.Formats;
import io.proxplane.pvesim.api.Param;
import io.proxplane.pvesim.api.ParamSpec;
import io.proxplane.pvesim.api.PropertyString;
import io.proxplane.pvesim.auth.Subject;
import io.proxplane.pvesim.state.ClusterState;
import io.proxplane.pvesim.state.Container;
import io.proxplane.pvesim.state.Node;
import io.proxplane.pvesim.state.Pool;
import io.proxplane.pvesim.state.Storage;
import io.proxplane.pvesim.state.Volume;
import io.proxplane.pvesim.tasks.Task;
import io.proxplane.pvesim.tasks.TaskFailure;
import io.proxplane.pvesim.tasks.TaskManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** pve-container's API: create, configure, run and destroy containers. */
final class LxcRoutes {
    private LxcRoutes() {}

    private static final String[] CONFIG_PRIVS = {"VM.Config.Disk", "VM.Config.CPU", "VM.Config.Memory", "VM.Config.Network", "VM.Config.Options"};
    private static final Pattern ALLOCATE = Pattern.compile("([a-zA-Z][a-zA-Z0-9\\-_.]*[a-zA-Z0-9]):(\\d+(?:\\.\\d+)?)");
    private static final long MIB = 1L << 20;

    static List<Route> routes() {
        String ct = "/nodes/{node}/lxc/{vmid}";
        return List.of(
                Route.of("GET", "/nodes/{node}/lxc").prot().params(Param.node()).handle(LxcRoutes::list),
                Route.of("POST", "/nodes/{node}/lxc").prot().params(LxcSpecs.createParams()).handle(LxcRoutes::create),
                Route.of("DELETE", ct).prot()
                        .params(bool("destroy-unreferenced-disks"), bool("force"), Param.node(), bool("purge"), Param.vmid().req())
                        .perm(perm("/vms/{vmid}", "VM.Allocate")).handle(LxcRoutes::destroy),
                Route.of("GET", ct + "/config")
                        .params(bool("current"), Param.node(), str("snapshot").format("pve-configid").maxLen(40), Param.vmid().req())
                        .perm(perm("/vms/{vmid}", "VM.Audit")).handle(LxcRoutes::getConfig),
                Route.of("PUT", ct + "/config").prot().params(LxcSpecs.updateParams())
                        .perm(any("/vms/{vmid}", CONFIG_PRIVS)).handle(LxcRoutes::putConfig),
                Route.of("GET", ct + "/pending").params(Param.node(), Param.vmid().req())
                        .perm(perm("/vms/{vmid}", "VM.Audit")).handle(LxcRoutes::pending),
                Route.of("GET", ct + "/status/current").prot().params(Param.node(), Param.vmid().req())
                        .perm(perm("/vms/{vmid}", "VM.Audit")).handle(LxcRoutes::statusCurrent),
                Route.of("POST", ct + "/status/start").prot()
                        .params(bool("debug"), Param.node(), bool("skiplock"), Param.vmid().req())
                        .perm(perm("/vms/{vmid}", "VM.PowerMgmt")).handle(LxcRoutes::start),
                Route.of("POST", ct + "/status/stop").prot()
                        .params(Param.node(), bool("overrule-shutdown"), bool("skiplock"), Param.vmid().req())
                        .perm(perm("/vms/{vmid}", "VM.PowerMgmt")).handle(LxcRoutes::stop),
                Route.of("POST", ct + "/status/shutdown").prot()
                        .params(bool("forceStop"), Param.node(), integer("timeout").min(0), Param.vmid().req())
                        .perm(perm("/vms/{vmid}", "VM.PowerMgmt")).handle(LxcRoutes::shutdown),
                Route.of("POST", ct + "/status/reboot").prot()
                        .params(Param.node(), integer("timeout").min(0), Param.vmid().req())
                        .perm(perm("/vms/{vmid}", "VM.PowerMgmt")).handle(LxcRoutes::reboot),
                Route.of("GET", ct + "/interfaces").prot().params(Param.node(), Param.vmid().req())
                        .perm(perm("/vms/{vmid}", "VM.Audit")).handle(LxcRoutes::interfaces),
                Route.of("PUT", ct + "/resize").prot()
                        .params(str("digest").maxLen(40), str("disk").req().enums(LxcSpecs.resizeDisks()), Param.node(),
                                str("size").req().pattern("\\+?\\d+(\\.\\d+)?[KMGT]?"), Param.vmid().req())
                        .perm(any("/vms/{vmid}", "VM.Config.Disk")).handle(LxcRoutes::resize));
    }

    // ----- read -----

    private static Object list(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            e.node(c.node());
            List<Object> out = new ArrayList<>();
            for (Container ct : e.state().containers.values()) {
                if (!ct.node.equals(c.node())) continue;
                if (!e.perms().has(c.subject(), "/vms/" + ct.vmid, "VM.Audit")) continue;
                out.add(statusEntry(e, ct));
            }
            return out;
        }
    }

    /** The live status fields shared by the CT list and status/current. */
    static Map<String, Object> statusEntry(Engine e, Container ct) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, String> cfg = ct.config;
        long maxmem = Long.parseLong(cfg.getOrDefault("memory", "512")) * MIB;
        long maxswap = Long.parseLong(cfg.getOrDefault("swap", "512")) * MIB;
        long maxdisk = rootfsSize(ct);
        boolean running = ct.running();
        m.put("vmid", ct.vmid);
        m.put("status", ct.status);
        if (cfg.containsKey("hostname")) m.put("name", cfg.get("hostname"));
        m.put("type", "lxc");
        m.put("cpus", Integer.parseInt(cfg.getOrDefault("cores", "1")));
        m.put("maxmem", maxmem);
        m.put("maxswap", maxswap);
        m.put("maxdisk", maxdisk);
        m.put("disk", running ? maxdisk / 10 : 0);
        m.put("mem", running ? Math.min(maxmem, 48 * MIB) : 0);
        m.put("swap", 0);
        m.put("uptime", running ? Math.max(0, e.now() - ct.startedAtEpoch) : 0);
        m.put("cpu", running ? 0.0123 : 0);
        m.put("netin", running ? 1024 : 0);
        m.put("netout", running ? 512 : 0);
        m.put("diskread", 0);
        m.put("diskwrite", 0);
        for (String p : List.of("pressurecpusome", "pressureiofull", "pressureiosome", "pressurememoryfull", "pressurememorysome")) {
            m.put(p, 0);
        }
        if (running) m.put("pid", ct.pid);
        if (cfg.containsKey("tags")) m.put("tags", cfg.get("tags"));
        if (ct.lock() != null) m.put("lock", ct.lock());
        if ("1".equals(cfg.get("template"))) m.put("template", 1);
        return m;
    }

    static long rootfsSize(Container ct) {
        String rootfs = ct.config.get("rootfs");
        if (rootfs == null) return 0;
        String size = PropertyString.parseTrusted(LxcSpecs.ROOTFS_KEYS, rootfs).get("size");
        return size == null ? 0 : Engine.parseSize(size);
    }

    private static Object getConfig(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            Container ct = e.container(c.node(), c.vmid());
            if (c.has("snapshot")) throw ApiException.fail("snapshot '" + c.str("snapshot") + "' does not exist");
            TreeMap<String, String> values = new TreeMap<>(ct.config);
            if (!c.bool("current")) {
                values.putAll(ct.pending);
                ct.pendingDelete.forEach(values::remove);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            values.forEach((k, v) -> out.put(k, typed(k, v)));
            out.put("digest", ct.digest());
            return out;
        }
    }

    /** Config values as PVE's JSON shows them: integers and 0/1 booleans as numbers, the rest strings. */
    static Object typed(String key, String value) {
        if (LxcSpecs.INTEGER_KEYS.contains(key) || LxcSpecs.BOOLEAN_KEYS.contains(key)) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException ignored) {
                return value;
            }
        }
        return value;
    }

    private static Object pending(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            Container ct = e.container(c.node(), c.vmid());
            TreeSet<String> keys = new TreeSet<>(ct.config.keySet());
            keys.addAll(ct.pending.keySet());
            keys.addAll(ct.pendingDelete);
            List<Object> out = new ArrayList<>();
            for (String k : keys) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("key", k);
                if (ct.config.containsKey(k)) item.put("value", ct.config.get(k));
                if (ct.pending.containsKey(k)) item.put("pending", ct.pending.get(k));
                if (ct.pendingDelete.contains(k)) item.put("delete", 1);
                out.add(item);
            }
            out.add(Map.of("key", "digest", "value", ct.digest()));
            return out;
        }
    }

    private static Object statusCurrent(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            Container ct = e.container(c.node(), c.vmid());
            Map<String, Object> m = statusEntry(e, ct);
            m.put("ha", Map.of("managed", 0));
            return m;
        }
    }

    // ----- create -----

    private record Allocation(String option, String storage, long sizeBytes, Map<String, String> keys) {}

    private static Object create(Call c) {
        Engine e = c.engine();
        int vmid = c.vmid();
        String nodeName = c.node();
        Subject s = c.subject();
        ClusterState st = e.state();
        Map<String, String> finalConfig = new TreeMap<>();
        List<Allocation> allocations = new ArrayList<>();
        String poolId = c.str("pool");
        boolean start = c.bool("start");
        synchronized (st) {
            Node node = e.node(nodeName);
            if (!e.perms().has(s, "/vms/" + vmid, "VM.Allocate")
                    && !(poolId != null && e.perms().has(s, "/pool/" + poolId, "VM.Allocate"))) {
                throw ApiException.forbidden("/vms/" + vmid + ", VM.Allocate");
            }
            boolean unprivileged = c.bool("unprivileged", true);
            if (!unprivileged) e.perms().checkAll(s, "/", "Sys.Modify");
            if (poolId != null && !st.pools.containsKey(poolId)) throw new ApiException(403, "pool '" + poolId + "' does not exist");
            if (c.bool("restore")) throw ApiException.fail("unable to restore CT " + vmid + " - restore is not simulated");
            Container existing = st.containers.get(vmid);
            if (existing != null) throw ApiException.fail("CT " + vmid + " already exists on node '" + existing.node + "'");

            String ostemplate = c.str("ostemplate");
            Matcher vm = Pattern.compile("([^:]+):(.+)").matcher(ostemplate);
            if (!vm.matches()) throw ApiException.fail("unable to parse volume ID '" + ostemplate + "'");
            Storage tplStorage = e.storage(nodeName, vm.group(1));
            if (!e.perms().hasAny(s, "/storage/" + tplStorage.id, "Datastore.AllocateSpace", "Datastore.Audit")) {
                throw ApiException.forbidden("/storage/" + tplStorage.id + ", Datastore.AllocateSpace|Datastore.Audit");
            }
            Volume tpl = tplStorage.volumes.get(ostemplate);
            if (tpl == null) throw ApiException.fail("volume '" + ostemplate + "' does not exist");
            if (!tpl.content.equals("vztmpl")) {
                throw ApiException.fail("unable to use volume " + ostemplate + " - content type needs to be 'vztmpl'");
            }

            // config options as given
            for (Map.Entry<String, String> p : c.params().entrySet()) {
                if (isConfigOption(p.getKey()) && !p.getKey().equals("lock")) finalConfig.put(p.getKey(), p.getValue());
            }
            String defaultStorage = c.str("storage", "local");
            String rootfs = finalConfig.getOrDefault("rootfs", defaultStorage + ":4");
            finalConfig.remove("rootfs");
            planVolume(e, c, node, "rootfs", rootfs, vmid, allocations, finalConfig);
            for (String k : List.copyOf(finalConfig.keySet())) {
                if (k.matches("mp\\d+")) planVolume(e, c, node, k, finalConfig.remove(k), vmid, allocations, finalConfig);
            }
            for (String k : List.copyOf(finalConfig.keySet())) {
                if (k.matches("net\\d+")) {
                    checkBridge(e, s, finalConfig.get(k));
                    finalConfig.put(k, canonicalNet(e, finalConfig.get(k), null));
                }
            }
            if (finalConfig.containsKey("tags")) finalConfig.put("tags", normalizeTags(finalConfig.get("tags")));
            if (finalConfig.containsKey("features")) {
                finalConfig.put("features", PropertyString.print(LxcSpecs.FEATURES_KEYS,
                        PropertyString.parseTrusted(LxcSpecs.FEATURES_KEYS, finalConfig.get("features"))));
            }
            finalConfig.putIfAbsent("hostname", "CT" + vmid);
            finalConfig.putIfAbsent("memory", "512");
            finalConfig.putIfAbsent("swap", "512");
            finalConfig.putIfAbsent("arch", "amd64");
            finalConfig.putIfAbsent("ostype", detectOsType(ostemplate));
            finalConfig.put("unprivileged", unprivileged ? "1" : "0");

            // create_and_lock_config: from now on the VMID is taken cluster-wide.
            Container ct = new Container(vmid, nodeName, e.nowMillis());
            ct.config.put("lock", "create");
            st.containers.put(vmid, ct);
        }
        return e.startTask(c, nodeName, "vzcreate", Integer.toString(vmid), ctx -> {
            List<String> created = new ArrayList<>();
            try {
                ctx.lockGuest(vmid);
                ctx.log("extracting archive '/var/lib/vz/template/cache/" + c.str("ostemplate").replaceFirst("^[^:]+:vztmpl/", "") + "'");
                ctx.work();
                synchronized (st) {
                    Container ct = st.containers.get(vmid);
                    Node node = e.node(nodeName);
                    for (Allocation a : allocations) {
                        String volid = allocate(e, node, a.storage, vmid, a.sizeBytes);
                        created.add(volid);
                        Map<String, String> keys = new LinkedHashMap<>(a.keys);
                        keys.put("volume", volid);
                        keys.put("size", Engine.sizeString(a.sizeBytes));
                        finalConfig.put(a.option, PropertyString.print(LxcSpecs.keysOf(a.option), keys));
                    }
                    ct.config.clear();
                    ct.config.putAll(finalConfig);
                    if (poolId != null) {
                        Pool p = st.pools.get(poolId);
                        if (p == null) throw new TaskFailure("pool '" + poolId + "' does not exist");
                        p.vms.add(vmid);
                    }
                }
                ctx.log("Total bytes written: " + (512L * MIB) + " (512MiB, 128MiB/s)");
                if (start) {
                    ctx.log("starting CT " + vmid);
                    synchronized (st) {
                        startNow(e, st.containers.get(vmid));
                    }
                }
            } catch (TaskManager.InjectedFailure | TaskManager.Interrupted f) {
                cleanupFailedCreate(st, vmid, created);
                throw f;
            } catch (Exception ex) {
                cleanupFailedCreate(st, vmid, created);
                throw new TaskFailure("unable to create CT " + vmid + " - " + String.valueOf(ex.getMessage()).strip());
            }
        });
    }

    private static void cleanupFailedCreate(ClusterState st, int vmid, List<String> created) {
        synchronized (st) {
            Container ct = st.containers.get(vmid);
            if (ct != null) {
                for (String volid : created) removeVolume(st, ct.node, volid);
                st.containers.remove(vmid);
            }
            st.pools.values().forEach(p -> p.vms.remove(vmid));
        }
    }

    private static boolean isConfigOption(String name) {
        for (Param p : LxcSpecs.configOptions()) {
            ParamSpec spec = p.build();
            if (spec.indexed() ? name.matches(spec.indexedPrefix() + "\\d+") : spec.name().equals(name)) return true;
        }
        return false;
    }

    /** Decides what a rootfs/mp value means: "storage:size" allocates, anything else is an existing volume. */
    private static void planVolume(Engine e, Call c, Node node, String option, String value, int vmid,
                                   List<Allocation> allocations, Map<String, String> finalConfig) {
        LinkedHashMap<String, String> keys = PropertyString.parseTrusted(LxcSpecs.keysOf(option), value);
        String volume = keys.get("volume");
        Matcher m = ALLOCATE.matcher(volume);
        if (m.matches()) {
            Storage target = node.storages.get(m.group(1));
            if (target == null) throw ApiException.fail("storage '" + m.group(1) + "' does not exist");
            if (!target.content.contains("rootdir")) {
                throw ApiException.param("storage", "storage '" + target.id + "' does not support container directories");
            }
            e.perms().checkAll(c.subject(), "/storage/" + target.id, "Datastore.AllocateSpace");
            double gib = Double.parseDouble(m.group(2));
            keys.remove("volume");
            keys.remove("size");
            allocations.add(new Allocation(option, target.id, (long) (gib * (1L << 30)), keys));
        } else if (volume.startsWith("/")) {
            if (!c.subject().isRoot()) {
                throw ApiException.forbidden(null);
            }
            finalConfig.put(option, PropertyString.print(LxcSpecs.keysOf(option), keys));
        } else {
            Matcher v = Pattern.compile("([^:]+):(.+)").matcher(volume);
            Storage vs = v.matches() ? node.storages.get(v.group(1)) : null;
            Volume vol = vs == null ? null : vs.volumes.get(volume);
            if (vol == null) throw ApiException.fail("volume '" + volume + "' does not exist");
            e.perms().checkAll(c.subject(), "/storage/" + vs.id, "Datastore.AllocateSpace");
            keys.put("size", Engine.sizeString(vol.size));
            finalConfig.put(option, PropertyString.print(LxcSpecs.keysOf(option), keys));
        }
    }

    /** Allocates vm-<vmid>-disk-<n> on a storage (caller holds the state monitor). */
    static String allocate(Engine e, Node node, String storageId, int vmid, long size) {
        Storage s = node.storages.get(storageId);
        for (int n = 0; ; n++) {
            String volid = s.type.equals("dir")
                    ? storageId + ":" + vmid + "/vm-" + vmid + "-disk-" + n + ".raw"
                    : storageId + ":vm-" + vmid + "-disk-" + n;
            if (!s.volumes.containsKey(volid)) {
                s.volumes.put(volid, new Volume(volid, "rootdir", "raw", size, e.now(), vmid));
                return volid;
            }
        }
    }

    static void removeVolume(ClusterState st, String node, String volid) {
        Node n = st.nodes.get(node);
        if (n == null) return;
        String sid = volid.substring(0, volid.indexOf(':'));
        Storage s = n.storages.get(sid);
        if (s != null) s.volumes.remove(volid);
    }

    private static String detectOsType(String template) {
        String file = template.substring(template.lastIndexOf('/') + 1);
        for (String os : List.of("debian", "ubuntu", "alpine", "centos", "fedora", "archlinux", "devuan", "opensuse", "gentoo", "nixos")) {
            if (file.startsWith(os)) return os;
        }
        if (file.startsWith("rockylinux") || file.startsWith("almalinux")) return "centos";
        return "unmanaged";
    }

    private static void checkBridge(Engine e, Subject s, String netValue) {
        String bridge = PropertyString.parseTrusted(LxcSpecs.NET_KEYS, netValue).get("bridge");
        if (bridge != null) e.perms().checkAll(s, "/sdn/zones/localnetwork/" + bridge, "SDN.Use");
    }

    /** Adds hwaddr (kept from the previous value, else random) and type=veth, re-serialised canonically. */
    static String canonicalNet(Engine e, String value, String previous) {
        LinkedHashMap<String, String> keys = PropertyString.parseTrusted(LxcSpecs.NET_KEYS, value);
        if (!keys.containsKey("hwaddr")) {
            String old = previous == null ? null : PropertyString.parseTrusted(LxcSpecs.NET_KEYS, previous).get("hwaddr");
            keys.put("hwaddr", old != null ? old : e.randomMac());
        }
        keys.put("type", "veth");
        return PropertyString.print(LxcSpecs.NET_KEYS, keys);
    }

    /** get_unique_tags: split on , ; and space, lower-case, de-duplicate, sort, join with ';'. */
    static String normalizeTags(String tags) {
        TreeSet<String> set = new TreeSet<>();
        for (String t : Formats.splitList(tags)) set.add(Engine.lower(t));
        return String.join(";", set);
    }

    // ----- update -----

    private static Object putConfig(Call c) {
        Engine e = c.engine();
        int vmid = c.vmid();
        synchronized (e.state()) {
            e.container(c.node(), vmid);
        }
        return e.locks().withLock(vmid, () -> {
            synchronized (e.state()) {
                Container ct = e.container(c.node(), vmid);
                applyUpdate(e, c, ct);
                return null;
            }
        });
    }

    private static void applyUpdate(Engine e, Call c, Container ct) {
        Map<String, String> options = new TreeMap<>();
        c.params().forEach((k, v) -> {
            if (!List.of("node", "vmid", "digest", "delete", "revert").contains(k)) options.put(k, v);
        });
        List<String> deletes = c.has("delete") ? Formats.splitList(c.str("delete")) : List.of();
        List<String> reverts = c.has("revert") ? Formats.splitList(c.str("revert")) : List.of();
        if (c.has("digest") && !c.str("digest").equals(ct.digest())) {
            throw ApiException.fail("detected modified configuration - file changed by other user? Try again.");
        }
        if (options.isEmpty() && deletes.isEmpty() && reverts.isEmpty()) throw ApiException.fail("no options specified");
        // as update_vm in pve-container: even setting or deleting "lock" needs an unlocked config
        // (only `pct unlock` on the node clears a lock)
        Engine.checkLock(ct);
        for (String d : deletes) {
            if (!isConfigOption(d)) throw ApiException.param("delete", "unknown option '" + d + "'");
            if (LxcSpecs.REQUIRED_KEYS.contains(d)) throw ApiException.fail("unable to delete required option '" + d + "'");
            if (d.equals("unprivileged")) throw ApiException.fail("unable to modify read-only option: 'unprivileged'");
        }
        if (options.containsKey("unprivileged")) throw ApiException.fail("unable to modify read-only option: 'unprivileged'");
        if ("1".equals(ct.config.get("protection"))
                && (options.containsKey("rootfs") || options.keySet().stream().anyMatch(k -> k.matches("mp\\d+"))
                || deletes.stream().anyMatch(k -> k.matches("mp\\d+")))) {
            throw ApiException.fail("can't update CT " + ct.vmid + " drive - protection mode enabled");
        }
        Node node = e.node(ct.node);
        for (Map.Entry<String, String> o : new ArrayList<>(options.entrySet())) {
            String k = o.getKey();
            String v = o.getValue();
            if (k.matches("net\\d+")) {
                checkBridge(e, c.subject(), v);
                String prev = ct.pending.getOrDefault(k, ct.config.get(k));
                options.put(k, canonicalNet(e, v, prev));
            } else if (k.equals("tags")) {
                options.put(k, normalizeTags(v));
            } else if (k.equals("features")) {
                options.put(k, PropertyString.print(LxcSpecs.FEATURES_KEYS, PropertyString.parseTrusted(LxcSpecs.FEATURES_KEYS, v)));
            } else if (k.matches("mp\\d+") || k.equals("rootfs")) {
                List<Allocation> allocs = new ArrayList<>();
                Map<String, String> planned = new TreeMap<>();
                planVolume(e, c, node, k, v, ct.vmid, allocs, planned);
                for (Allocation a : allocs) {
                    String volid = allocate(e, node, a.storage, ct.vmid, a.sizeBytes);
                    Map<String, String> keys = new LinkedHashMap<>(a.keys);
                    keys.put("volume", volid);
                    keys.put("size", Engine.sizeString(a.sizeBytes));
                    planned.put(k, PropertyString.print(LxcSpecs.keysOf(k), keys));
                }
                options.put(k, planned.get(k));
            }
        }
        boolean running = ct.running();
        for (String r : reverts) {
            ct.pending.remove(r);
            ct.pendingDelete.remove(r);
        }
        for (String d : deletes) {
            if (running && !appliesLive(d, ct)) {
                ct.pendingDelete.add(d);
                ct.pending.remove(d);
            } else {
                ct.config.remove(d);
                ct.pending.remove(d);
                ct.pendingDelete.remove(d);
            }
        }
        options.forEach((k, v) -> {
            if (running && !appliesLive(k, ct)) {
                ct.pending.put(k, v);
                ct.pendingDelete.remove(k);
            } else {
                ct.config.put(k, v);
                ct.pending.remove(k);
                ct.pendingDelete.remove(k);
            }
        });
    }

    /** On a running CT: instant options, hot-pluggable resources, NICs, new mount points and devices. */
    private static boolean appliesLive(String key, Container ct) {
        if (LxcSpecs.INSTANT_KEYS.contains(key) || LxcSpecs.HOTPLUG_KEYS.contains(key)) return true;
        if (key.matches("net\\d+") || key.matches("dev\\d+")) return true;
        return key.matches("mp\\d+") && !ct.config.containsKey(key);
    }

    static void applyPending(Container ct) {
        ct.config.putAll(ct.pending);
        ct.pendingDelete.forEach(ct.config::remove);
        ct.pending.clear();
        ct.pendingDelete.clear();
    }

    // ----- power -----

    static void startNow(Engine e, Container ct) {
        applyPending(ct);
        ct.setStatus("running", e.nowMillis());
        ct.startedAtEpoch = e.now();
        ct.pid = 100_000 + ct.vmid % 90_000 + (int) (e.now() % 1000);
    }

    private static void checkSkiplock(Call c) {
        if (c.bool("skiplock") && !c.subject().isRoot()) throw ApiException.param("skiplock", "Only root may use this option.");
    }

    private static Object start(Call c) {
        Engine e = c.engine();
        int vmid = c.vmid();
        checkSkiplock(c);
        synchronized (e.state()) {
            Container ct = e.container(c.node(), vmid);
            if (ct.running()) throw ApiException.fail("CT " + vmid + " already running");
        }
        boolean skiplock = c.bool("skiplock");
        return e.startTask(c, c.node(), "vzstart", Integer.toString(vmid), ctx -> {
            ctx.lockGuest(vmid);
            synchronized (e.state()) {
                Container ct = e.container(c.node(), vmid);
                if (!skiplock) Engine.checkLock(ct);
                if ("1".equals(ct.config.get("template"))) throw new TaskFailure("you can't start a CT if it's a template");
                if (ct.running()) throw new TaskFailure("CT " + vmid + " already running");
            }
            ctx.work();
            synchronized (e.state()) {
                startNow(e, e.container(c.node(), vmid));
            }
        });
    }

    private static Object stop(Call c) {
        Engine e = c.engine();
        int vmid = c.vmid();
        checkSkiplock(c);
        synchronized (e.state()) {
            Container ct = e.container(c.node(), vmid);
            if (!ct.running()) throw ApiException.fail("CT " + vmid + " not running");
        }
        if (c.bool("overrule-shutdown")) {
            for (Task t : e.tasks().all()) {
                if (t.running() && t.type.equals("vzshutdown") && t.id.equals(Integer.toString(vmid))) e.tasks().stop(t);
            }
        }
        boolean skiplock = c.bool("skiplock");
        return e.startTask(c, c.node(), "vzstop", Integer.toString(vmid), ctx -> {
            ctx.lockGuest(vmid);
            synchronized (e.state()) {
                Container ct = e.container(c.node(), vmid);
                if (!skiplock && !"mounted".equals(ct.lock())) Engine.checkLock(ct);
            }
            ctx.work();
            synchronized (e.state()) {
                e.container(c.node(), vmid).setStatus("stopped", e.nowMillis());
            }
        });
    }

    private static Object shutdown(Call c) {
        Engine e = c.engine();
        int vmid = c.vmid();
        synchronized (e.state()) {
            Container ct = e.container(c.node(), vmid);
            if (!ct.running()) throw ApiException.fail("CT " + vmid + " not running");
        }
        return e.startTask(c, c.node(), "vzshutdown", Integer.toString(vmid), ctx -> {
            ctx.lockGuest(vmid);
            synchronized (e.state()) {
                Engine.checkLock(e.container(c.node(), vmid));
            }
            ctx.work();
            synchronized (e.state()) {
                e.container(c.node(), vmid).setStatus("stopped", e.nowMillis());
            }
        });
    }

    private static Object reboot(Call c) {
        Engine e = c.engine();
        int vmid = c.vmid();
        synchronized (e.state()) {
            Container ct = e.container(c.node(), vmid);
            if (!ct.running()) throw ApiException.fail("VM " + vmid + " not running");
        }
        return e.startTask(c, c.node(), "vzreboot", Integer.toString(vmid), ctx -> {
            ctx.lockGuest(vmid);
            synchronized (e.state()) {
                Engine.checkLock(e.container(c.node(), vmid));
            }
            ctx.work();
            synchronized (e.state()) {
                startNow(e, e.container(c.node(), vmid));
            }
        });
    }

    // ----- destroy -----

    private static Object destroy(Call c) {
        Engine e = c.engine();
        int vmid = c.vmid();
        ClusterState st = e.state();
        boolean force = c.bool("force");
        synchronized (st) {
            Container ct = e.container(c.node(), vmid);
            if ("1".equals(ct.config.get("protection"))) throw ApiException.fail("can't remove CT " + vmid + " - protection mode enabled");
            Engine.checkLock(ct);
            if (ct.running() && !force) throw ApiException.fail("unable to destroy CT " + vmid + " - container is running");
        }
        return e.startTask(c, c.node(), "vzdestroy", Integer.toString(vmid), ctx -> {
            ctx.lockGuest(vmid);
            synchronized (st) {
                Container ct = e.container(c.node(), vmid);
                Engine.checkLock(ct);
                if (ct.running() && !force) throw new TaskFailure("unable to destroy CT " + vmid + " - container is running");
                if (ct.running()) ct.setStatus("stopped", e.nowMillis());
                // destroy_lxc_container: the volumes go first, then the config is replaced by a
                // zombie holding only "lock: destroyed" (so the vmid cannot be reused meanwhile)
                for (Map.Entry<String, String> opt : ct.config.entrySet()) {
                    String k = opt.getKey();
                    if (k.equals("rootfs") || k.matches("mp\\d+") || k.matches("unused\\d+")) {
                        String volume = PropertyString.parseTrusted(LxcSpecs.keysOf(k), opt.getValue()).get("volume");
                        if (!volume.startsWith("/")) {
                            ctx.log("Logical volume \"" + volume.substring(volume.indexOf(':') + 1) + "\" successfully removed.");
                            removeVolume(st, ct.node, volume);
                        }
                    }
                }
                ct.config.clear();
                ct.pending.clear();
                ct.pendingDelete.clear();
                ct.config.put("lock", "destroyed");
            }
            // ACLs, firewall config and purge come after the zombie config: a failure here (an
            // injected one included) leaves it, and only `pct unlock` on the node clears it
            ctx.work();
            synchronized (st) {
                st.acl.removeIf(a -> a.path().equals("/vms/" + vmid));
                st.pools.values().forEach(p -> p.vms.remove(vmid));
                st.containers.remove(vmid);
            }
        });
    }

    // ----- interfaces -----

    private static Object interfaces(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            Container ct = e.container(c.node(), c.vmid());
            if (!ct.running()) return null;
            List<Object> out = new ArrayList<>();
            out.add(iface("lo", "00:00:00:00:00:00", List.of(new Addr("127.0.0.1", "inet", 8), new Addr("::1", "inet6", 128))));
            for (Map.Entry<String, String> opt : ct.config.entrySet()) {
                if (!opt.getKey().matches("net\\d+")) continue;
                Map<String, String> net = PropertyString.parseTrusted(LxcSpecs.NET_KEYS, opt.getValue());
                String mac = Engine.lower(net.getOrDefault("hwaddr", "bc:24:11:00:00:00"));
                List<Addr> addrs = new ArrayList<>();
                String ip = net.get("ip");
                if ("dhcp".equals(ip)) {
                    addrs.add(new Addr(dhcpLease(ct.vmid, Integer.parseInt(opt.getKey().substring(3))), "inet", 24));
                } else if (ip != null && ip.contains("/")) {
                    addrs.add(new Addr(ip.substring(0, ip.indexOf('/')), "inet", Integer.parseInt(ip.substring(ip.indexOf('/') + 1))));
                }
                String ip6 = net.get("ip6");
                if (ip6 != null && ip6.contains("/")) {
                    addrs.add(new Addr(ip6.substring(0, ip6.indexOf('/')), "inet6", Integer.parseInt(ip6.substring(ip6.indexOf('/') + 1))));
                }
                addrs.add(new Addr(linkLocal(mac), "inet6", 64));
                out.add(iface(net.get("name"), mac, addrs));
            }
            return out;
        }
    }

    private record Addr(String ip, String type, int prefix) {}

    private static Map<String, Object> iface(String name, String mac, List<Addr> addrs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("hwaddr", mac);
        m.put("hardware-address", mac);
        String inet = null;
        String inet6 = null;
        List<Object> list = new ArrayList<>();
        for (Addr a : addrs) {
            if (a.type.equals("inet")) inet = a.ip + "/" + a.prefix;
            else inet6 = a.ip + "/" + a.prefix;
            list.add(Map.of("ip-address", a.ip, "ip-address-type", a.type, "prefix", a.prefix));
        }
        if (inet != null) m.put("inet", inet);
        if (inet6 != null) m.put("inet6", inet6);
        m.put("ip-addresses", list);
        return m;
    }

    /** A deterministic simulated DHCP lease for ip=dhcp: 10.<net>.<vmid/250>.<vmid%250+2>. */
    static String dhcpLease(int vmid, int netIndex) {
        return "10." + (10 + netIndex) + "." + ((vmid / 250) % 256) + "." + (vmid % 250 + 2);
    }

    /** EUI-64 link-local address derived from a MAC. */
    static String linkLocal(String mac) {
        String[] b = mac.split(":");
        int first = Integer.parseInt(b[0], 16) ^ 0x02;
        return String.format("fe80::%x:%x:%x:%x", (first << 8) | Integer.parseInt(b[1], 16),
                (Integer.parseInt(b[2], 16) << 8) | 0xff, 0xfe00 | Integer.parseInt(b[3], 16),
                (Integer.parseInt(b[4], 16) << 8) | Integer.parseInt(b[5], 16));
    }

    // ----- resize -----

    private static Object resize(Call c) {
        Engine e = c.engine();
        int vmid = c.vmid();
        String disk = c.str("disk");
        String sizeArg = c.str("size");
        long[] target = new long[1];
        String[] volume = new String[1];
        synchronized (e.state()) {
            e.container(c.node(), vmid);
        }
        e.locks().withLock(vmid, () -> {
            synchronized (e.state()) {
                Container ct = e.container(c.node(), vmid);
                Engine.checkLock(ct);
                if (c.has("digest") && !c.str("digest").equals(ct.digest())) {
                    throw ApiException.fail("detected modified configuration - file changed by other user? Try again.");
                }
                String value = ct.config.get(disk);
                if (value == null) throw ApiException.fail("no such mount point '" + disk + "'");
                Map<String, String> keys = PropertyString.parseTrusted(LxcSpecs.keysOf(disk), value);
                volume[0] = keys.get("volume");
                long current = keys.containsKey("size") ? Engine.parseSize(keys.get("size")) : 0;
                long wanted = sizeArg.startsWith("+") ? current + Engine.parseSize(sizeArg.substring(1)) : Engine.parseSize(sizeArg);
                if (wanted < current) throw ApiException.fail("unable to shrink disk size");
                if (wanted == current) throw ApiException.fail("disk is already at specified size");
                target[0] = wanted;
                return null;
            }
        });
        String digest = c.str("digest");
        return e.startTask(c, c.node(), "resize", Integer.toString(vmid), ctx -> {
            ctx.lockGuest(vmid);
            ctx.work();
            synchronized (e.state()) {
                Container ct = e.container(c.node(), vmid);
                if (digest != null && !digest.equals(ct.digest())) {
                    throw new TaskFailure("detected modified configuration - file changed by other user? Try again.");
                }
                Map<String, String> keys = PropertyString.parseTrusted(LxcSpecs.keysOf(disk), ct.config.get(disk));
                keys.put("size", Engine.sizeString(target[0]));
                ct.config.put(disk, PropertyString.print(LxcSpecs.keysOf(disk), keys));
                Node n = e.node(ct.node);
                Storage s = n.storages.get(volume[0].substring(0, volume[0].indexOf(':')));
                if (s != null && s.volumes.containsKey(volume[0])) s.volumes.get(volume[0]).size = target[0];
                ctx.log("Size of logical volume changed to " + Engine.sizeString(target[0]) + ".");
            }
        });
    }
}
