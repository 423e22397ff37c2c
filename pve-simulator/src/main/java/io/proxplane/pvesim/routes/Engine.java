package io.proxplane.pvesim.routes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxplane.pvesim.api.ApiException;
import io.proxplane.pvesim.auth.Permissions;
import io.proxplane.pvesim.auth.Subject;
import io.proxplane.pvesim.auth.Tickets;
import io.proxplane.pvesim.faults.Faults;
import io.proxplane.pvesim.state.ClusterState;
import io.proxplane.pvesim.state.Container;
import io.proxplane.pvesim.state.Node;
import io.proxplane.pvesim.state.Storage;
import io.proxplane.pvesim.state.Volume;
import io.proxplane.pvesim.tasks.GuestLocks;
import io.proxplane.pvesim.tasks.Task;
import io.proxplane.pvesim.tasks.TaskBody;
import io.proxplane.pvesim.tasks.TaskManager;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Everything a handler works with: the cluster state and its monitor, permissions, tasks, locks,
 * faults, tickets and the configured behaviour (lag, version). One per simulator instance.
 */
public final class Engine {
    public static final String DEBIAN_TEMPLATE = "debian-12-standard_12.7-1_amd64.tar.zst";

    private final ClusterState state;
    private final Permissions perms;
    private final TaskManager tasks;
    private final GuestLocks locks;
    private final Faults faults;
    private final Tickets tickets;
    private final Clock clock;
    private final Config config;
    private final SecureRandom random = new SecureRandom();
    private volatile String certificateFingerprint = "";
    final ObjectMapper json = new ObjectMapper();

    /** Behaviour knobs from the builder. */
    public record Config(Duration resourcesLag, Duration unauthorizedDelay, String pveVersion, String repoid) {}

    public Engine(ClusterState state, TaskManager tasks, GuestLocks locks, Faults faults, Tickets tickets, Clock clock, Config config) {
        this.state = state;
        this.perms = new Permissions(state, clock);
        this.tasks = tasks;
        this.locks = locks;
        this.faults = faults;
        this.tickets = tickets;
        this.clock = clock;
        this.config = config;
    }

    public ClusterState state() { return state; }
    public Permissions perms() { return perms; }
    public TaskManager tasks() { return tasks; }
    public GuestLocks locks() { return locks; }
    public Faults faults() { return faults; }
    public Tickets tickets() { return tickets; }
    public Clock clock() { return clock; }
    public Config config() { return config; }
    public void certificateFingerprint(String fp) { certificateFingerprint = fp; }
    public String certificateFingerprint() { return certificateFingerprint; }

    long now() { return clock.instant().getEpochSecond(); }
    long nowMillis() { return clock.millis(); }

    /** "9.1.5" ≥ "9.1.5"? Compares dotted versions numerically. */
    public boolean versionAtLeast(String other) {
        String[] a = config.pveVersion().split("[.-]");
        String[] b = other.split("[.-]");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? parseOr0(a[i]) : 0;
            int y = i < b.length ? parseOr0(b[i]) : 0;
            if (x != y) return x > y;
        }
        return true;
    }

    private static int parseOr0(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ----- setup helpers (caller holds the state monitor) -----

    public static Node newNode(String name, int nodeid, long now) {
        Node n = new Node(name, nodeid, now - 86_400);
        Storage local = new Storage("local", "dir", List.of("vztmpl", "iso", "backup"), "/var/lib/vz", 100L << 30);
        local.volumes.put("local:vztmpl/" + DEBIAN_TEMPLATE, new Volume("local:vztmpl/" + DEBIAN_TEMPLATE, "vztmpl", "tzst",
                126_765_432L, now - 3600, null));
        Storage lvm = new Storage("local-lvm", "lvmthin", List.of("rootdir", "images"), null, 400L << 30);
        n.storages.put(local.id, local);
        n.storages.put(lvm.id, lvm);
        return n;
    }

    public static String templateFormat(String file) {
        if (file.endsWith(".tar.zst")) return "tzst";
        if (file.endsWith(".tar.gz") || file.endsWith(".tgz")) return "tgz";
        if (file.endsWith(".tar.xz")) return "txz";
        if (file.endsWith(".tar.bz2")) return "tbz2";
        return "tar";
    }

    // ----- lookups (caller holds the state monitor) -----

    /** A node named in the path; PVE fails the proxy's hostname lookup for unknown ones. */
    Node node(String name) {
        Node n = state.nodes.get(name);
        if (n == null) throw ApiException.fail("hostname lookup '" + name + "' failed - failed to get address info for: "
                + name + ": Name or service not known");
        return n;
    }

    static String configPath(String node, int vmid) {
        return "nodes/" + node + "/lxc/" + vmid + ".conf";
    }

    Container container(String node, int vmid) {
        Container c = state.containers.get(vmid);
        if (c == null || !c.node.equals(node)) {
            throw ApiException.fail("Configuration file '" + configPath(node, vmid) + "' does not exist");
        }
        return c;
    }

    Storage storage(String node, String storage) {
        Storage s = node(node).storages.get(storage);
        if (s == null) throw ApiException.fail("storage '" + storage + "' does not exist");
        return s;
    }

    static void checkLock(Container c) {
        String lock = c.lock();
        if (lock != null) throw ApiException.fail("CT is locked (" + lock + ")");
    }

    /** BC:24:11 (the Proxmox OUI) plus three random bytes, upper-case as in the config. */
    String randomMac() {
        byte[] b = new byte[3];
        random.nextBytes(b);
        return "BC:24:11:" + HexFormat.ofDelimiter(":").withUpperCase().formatHex(b);
    }

    String uuid() {
        return java.util.UUID.randomUUID().toString();
    }

    // ----- tasks -----

    String startTask(Call c, String node, String type, String id, TaskBody body) {
        long boot;
        synchronized (state) {
            boot = node(node).bootEpoch;
        }
        Task t = tasks.start(node, boot, type, id, c.subject().fullId(), body);
        return t.upid;
    }

    /** The status pvestatd would report for a guest, given the resources lag. */
    String reportedStatus(Container c) {
        long lag = config.resourcesLag().toMillis();
        long now = nowMillis();
        if (now - c.createdAtMillis < lag) return "unknown";
        if (now - c.statusChangedAtMillis < lag) return c.previousStatus;
        return c.status;
    }

    boolean reportedYet(Container c) {
        return nowMillis() - c.createdAtMillis >= config.resourcesLag().toMillis();
    }

    static String sizeString(long bytes) {
        long[] units = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
        String[] names = {"T", "G", "M", "K"};
        for (int i = 0; i < units.length; i++) {
            if (bytes % units[i] == 0) return (bytes / units[i]) + names[i];
        }
        return Long.toString(bytes);
    }

    static long parseSize(String s) {
        s = s.trim();
        char u = Character.toUpperCase(s.charAt(s.length() - 1));
        double mult = switch (u) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            default -> 1;
        };
        String num = Character.isDigit(u) ? s : s.substring(0, s.length() - 1);
        return (long) (Double.parseDouble(num) * mult);
    }

    boolean isVisibleTo(Subject s, Task t) {
        return t.userWithoutToken().equals(s.userid()) || perms.has(s, "/nodes/" + t.node, "Sys.Audit");
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
