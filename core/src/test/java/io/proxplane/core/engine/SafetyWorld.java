package io.proxplane.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxplane.core.engine.SafetyModel.Obj;
import io.proxplane.core.engine.SafetyModel.Reg;
import io.proxplane.core.engine.SafetyModel.Svc;
import io.proxplane.core.engine.SafetyOps.*;
import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.engine.spec.SiteSpec;
import io.proxplane.core.engine.spec.UserSpec;
import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.model.TaskQuery;
import io.proxplane.core.proxmox.model.TaskSummary;
import io.proxplane.core.registry.Container;
import io.proxplane.core.registry.Service;
import io.proxplane.core.registry.Site;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One try of the engine-safety property: a fresh simulated cluster (two nodes), two registries
 * (databases) with an engine each, both with sites s1 and s2 on that one cluster, and the
 * {@link SafetyModel}. {@link #step} runs one {@link SafetyOps.Op}, updates the model from the
 * engine's answer and checks invariants (1)-(3) against the simulator's state and both registries;
 * {@link #finish} checks (4). A broken invariant is an {@link AssertionError} naming it.
 *
 * <p>Invariants can be switched off for diagnosis with {@code -Dproxplane.safety.invariants=0,1,2,3,4,T}
 * (the default is all): 0 = error contract (EngineException of a refusal kind, or a Proxmox kind only
 * while faults are injected), T = tenancy (no manager changes what another manages).
 */
final class SafetyWorld implements AutoCloseable {
    static final String TEMPLATE = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";
    static final String SITE_MANAGER = "k8s:ns/x";
    static final Set<EngineException.Kind> REFUSALS = EnumSet.of(EngineException.Kind.QUOTA, EngineException.Kind.OWNERSHIP,
            EngineException.Kind.CONFLICT, EngineException.Kind.INVALID_SPEC, EngineException.Kind.IN_USE,
            EngineException.Kind.NOT_FOUND);
    private static final Set<String> ENABLED = Set.of(System.getProperty("proxplane.safety.invariants", "0,1,2,3,4,T")
            .split("\\s*,\\s*"));
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Diagnosis only ({@code -Dproxplane.safety.skip=resync}): no resync steps, not even at the end. */
    private static final boolean SKIP_RESYNC = List.of(System.getProperty("proxplane.safety.skip", "").split("\\s*,\\s*"))
            .contains("resync");

    final SafetyModel model = new SafetyModel();
    private PveSimulator sim;
    private ProxmoxClient admin;
    private final Map<String, String> dbs = new LinkedHashMap<>();
    private final SafetyDatabases databases;
    private final Map<String, Engine> engines = new LinkedHashMap<>();
    private final List<String> history = new ArrayList<>();
    private final Set<String> seenTasks = new HashSet<>();
    private Baseline baseline;
    private boolean faultsArmed;
    /** Pool use after the previous step (the "before" of the next one). */
    private Counts lastCounts;

    /** What the simulator holds before proxplane does anything; invariant (4) compares with it. */
    record Baseline(Set<String> users, Set<String> groups, Set<String> acl, Set<String> pools) {}

    SafetyWorld(SafetyDatabases databases) {
        this.databases = databases;
        long t0 = System.nanoTime();
        try {
            this.sim = PveSimulatorExtension.testDefaults().nodes("pve1", "pve2").build().start();
            this.admin = EngineFixture.client(sim);
            timing("simulator", t0);
            int net = 20;
            for (String r : SafetyOps.REGS) {
                long td = System.nanoTime();
                String db = databases.create();
                dbs.put(r, db);
                timing("clone db", td);
                // as EngineFixture.engine: fast task polling, short back-off, cheap password hashing
                Engine e = Engine.builder(SafetyDatabases.config(db).withMaxPoolSize(2), EngineFixture.resolver(sim))
                        .settings(EngineSettings.defaults().withTaskTimeout(Duration.ofSeconds(20)).withBackoff(3, Duration.ofMillis(20)))
                        .passwordHasher(new PasswordHasher(1024, 1))
                        .taskPolling(Duration.ofMillis(10), Duration.ofMillis(50))
                        .build();
                engines.put(r, e);
                timing("clone + engine", td);
                for (String site : SafetyOps.SITES) {
                    String prefix = "10." + net++ + ".0.";
                    e.sites().apply(SITE_MANAGER, new SiteSpec(site, site + "-" + r.toLowerCase(Locale.ROOT) + ".internal",
                            prefix + "0/24", prefix + "1", prefix + "200", prefix + "250", List.of(), "vmbr0",
                            List.of(new SiteSpec.ProxmoxEndpointSpec(sim.baseUrl(), null, "secret/pve")),
                            SiteSpec.PlacementPolicy.LEAST_LOADED, Map.of()));
                }
                net += 8; // registry B's networks differ from A's, so an IP held twice in Proxmox is always a defect
            }
            ProxState st = proxState();
            this.baseline = new Baseline(st.users, st.groups, st.acl, st.pools.keySet());
            for (TaskSummary t : tasks()) seenTasks.add(t.upid());
            timing("set-up", t0);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ steps

    void step(Op op) {
        model.steps++;
        history.add(op.toString());
        long t0 = System.nanoTime();
        Map<Integer, String> certainVmidsBefore = certainVmids();
        Counts before = lastCounts != null ? lastCounts : counts();
        long t1 = System.nanoTime();
        switch (op) {
            case ApplyContainer a -> applyContainer(op, reg(a.reg()), a.manager(),
                    ContainerSpec.builder(a.site(), a.name(), TEMPLATE).cores(a.cores()).memoryMb(a.memoryMb()).swapMb(0)
                            .diskGb(a.diskGb()).pool(a.pool()).owner(a.owner())
                            .powerState(a.running() ? ContainerSpec.PowerState.RUNNING : ContainerSpec.PowerState.STOPPED).build());
            case EditContainer e -> {
                Obj<ContainerSpec> o = reg(e.reg()).containers.get(e.site() + "/" + e.name());
                if (o == null) {
                    model.skipped++;
                } else {
                    ContainerSpec.Builder b = o.spec.toBuilder();
                    switch (e.kind()) {
                        case CORES -> b.cores(e.value());
                        case MEMORY -> b.memoryMb(e.value());
                        case DISK_GROW -> b.diskGb(Math.max(o.diskGb, o.spec.diskGb()) + e.value());
                        case POWER -> b.powerState(o.spec.powerState() == ContainerSpec.PowerState.RUNNING
                                ? ContainerSpec.PowerState.STOPPED : ContainerSpec.PowerState.RUNNING);
                        case POOL -> b.pool(e.pool());
                    }
                    applyContainer(op, reg(e.reg()), o.manager, b.build());
                }
            }
            case DeleteContainer d -> {
                Reg r = reg(d.reg());
                String key = d.site() + "/" + d.name();
                attempt(op, () -> engine(r).containers().delete(d.manager(), d.site(), d.name()), res -> {
                    Obj<ContainerSpec> o = r.containers.get(key);
                    if (o != null && o.certain && !o.manager.equals(d.manager())) {
                        fail("T", d.manager() + " deleted " + key + " of registry " + r.name + ", managed by " + o.manager);
                    }
                    r.dropContainer(key);
                }, () -> uncertain(r.containers.get(key)));
            }
            case ApplyPool p -> {
                Reg r = reg(p.reg());
                List<PoolSpec.AclGrant> grants = p.grant() == null ? List.of() : List.of(p.grant().startsWith("group:")
                        ? new PoolSpec.AclGrant(p.grant().substring(6), null, "PVEVMUser")
                        : new PoolSpec.AclGrant(null, p.grant().substring(5), "PVEVMUser"));
                PoolSpec spec = new PoolSpec(p.name(), new PoolSpec.Quotas(p.maxContainers(), null, null, null), grants);
                attempt(op, () -> engine(r).pools().apply(p.manager(), spec),
                        res -> succeeded(r.name, "pool " + p.name(), r.pools, p.name(), p.manager(), spec),
                        () -> uncertainApply(r.pools, p.name(), p.manager(), spec));
            }
            case DeletePool p -> {
                Reg r = reg(p.reg());
                attempt(op, () -> engine(r).pools().delete(p.manager(), p.name()),
                        res -> deleted(r.name, "pool " + p.name(), r.pools, p.name(), p.manager()),
                        () -> uncertain(r.pools.get(p.name())));
            }
            case ApplyService s -> {
                Reg r = reg(s.reg());
                String key = s.site() + "/" + s.container() + "/" + s.name();
                Svc svc = new Svc(s.site(), s.container(), s.name(), s.port());
                attempt(op, () -> engine(r).services().apply(s.manager(),
                                ContainerServiceSpec.tcp(s.site(), s.container(), s.name(), 22, s.port())),
                        res -> succeeded(r.name, "service " + key, r.services, key, s.manager(), svc),
                        () -> uncertainApply(r.services, key, s.manager(), svc));
            }
            case DeleteService s -> {
                Reg r = reg(s.reg());
                String key = s.site() + "/" + s.container() + "/" + s.name();
                attempt(op, () -> engine(r).services().delete(s.manager(), s.site(), s.container(), s.name()),
                        res -> deleted(r.name, "service " + key, r.services, key, s.manager()),
                        () -> uncertain(r.services.get(key)));
            }
            case ApplyUser u -> {
                Reg r = reg(u.reg());
                UserSpec spec = new UserSpec(u.name(), null, null, null, null, null, null, null, null, null);
                attempt(op, () -> engine(r).users().apply(u.manager(), spec),
                        res -> succeeded(r.name, "user " + u.name(), r.users, u.name(), u.manager(), spec),
                        () -> uncertainApply(r.users, u.name(), u.manager(), spec));
            }
            case DeleteUser u -> {
                Reg r = reg(u.reg());
                attempt(op, () -> engine(r).users().delete(u.manager(), u.name()),
                        res -> deleted(r.name, "user " + u.name(), r.users, u.name(), u.manager()),
                        () -> uncertain(r.users.get(u.name())));
            }
            case ApplyGroup g -> {
                Reg r = reg(g.reg());
                GroupSpec spec = new GroupSpec(g.name(), null, g.members(), false);
                attempt(op, () -> engine(r).groups().apply(g.manager(), spec),
                        res -> succeeded(r.name, "group " + g.name(), r.groups, g.name(), g.manager(), spec),
                        () -> uncertainApply(r.groups, g.name(), g.manager(), spec));
            }
            case DeleteGroup g -> {
                Reg r = reg(g.reg());
                attempt(op, () -> engine(r).groups().delete(g.manager(), g.name()),
                        res -> deleted(r.name, "group " + g.name(), r.groups, g.name(), g.manager()),
                        () -> uncertain(r.groups.get(g.name())));
            }
            case Resync s -> attempt(op, () -> engine(reg(s.reg())).resync(s.site()), res -> {}, () -> {});
            case InjectFault f -> {
                model.faultsInjected++;
                faultsArmed = true;
                switch (f.kind()) {
                    case FAIL_NEXT -> sim.faults().failNext(f.method(), f.path(), f.times(), f.status(),
                            f.status() == 596 ? "Connection timed out" : f.status() == 503 ? "Service Unavailable"
                                    : "internal error (injected)");
                    case FAIL_TASK -> sim.faults().failTask(f.path(), null, "injected task failure");
                    case LATENCY -> sim.faults().latency(f.method(), f.path(), Duration.ofMillis(30));
                }
            }
            case ClearFaults c -> {
                sim.faults().clear();
                faultsArmed = false;
            }
        }
        long t2 = System.nanoTime();
        checkInvariants(op, certainVmidsBefore, before);
        long t3 = System.nanoTime();
        if (Boolean.getBoolean("proxplane.safety.timing")) {
            System.out.printf("[engine-safety] %5d ms step, %4d ms checks: %s%n", (t2 - t1) / 1_000_000,
                    (t1 - t0 + t3 - t2) / 1_000_000, op);
        }
    }

    private void applyContainer(Op op, Reg r, String manager, ContainerSpec spec) {
        String key = spec.site() + "/" + spec.name();
        attempt(op, () -> engine(r).containers().apply(manager, spec), res -> {
            Obj<ContainerSpec> o = r.containers.get(key);
            if (o != null && o.certain && !o.manager.equals(manager)) {
                fail("T", manager + " changed container " + key + " of registry " + r.name + ", managed by " + o.manager);
            }
            if (o == null || !o.manager.equals(manager)) {
                o = new Obj<>(manager, spec, true);
                r.containers.put(key, o);
            }
            o.spec = spec;
            o.certain = true;
            o.vmid = res.status().vmid();
            o.mac = res.status().mac();
            o.diskGb = Math.max(o.diskGb, spec.diskGb());
        }, () -> {
            Obj<ContainerSpec> o = r.containers.get(key);
            if (o == null || !o.manager.equals(manager)) {
                o = new Obj<>(manager, spec, false);
                r.containers.put(key, o);
            }
            o.spec = spec;
            o.certain = false;
            // the disk floor is not raised: the apply may have failed before any guest existed, and
            // the next create then rightly uses whatever size is asked for then
        });
    }

    private <T> void succeeded(String reg, String what, Map<String, Obj<T>> objs, String key, String manager, T spec) {
        Obj<T> o = objs.get(key);
        if (o != null && o.certain && !o.manager.equals(manager)) {
            fail("T", manager + " changed " + what + " of registry " + reg + ", managed by " + o.manager);
        }
        objs.put(key, new Obj<>(manager, spec, true));
    }

    private <T> void uncertainApply(Map<String, Obj<T>> objs, String key, String manager, T spec) {
        Obj<T> o = objs.get(key);
        if (o == null || !o.manager.equals(manager)) objs.put(key, new Obj<>(manager, spec, false));
        else {
            o.spec = spec;
            o.certain = false;
        }
    }

    private <T> void deleted(String reg, String what, Map<String, Obj<T>> objs, String key, String manager) {
        Obj<T> o = objs.get(key);
        if (o != null && o.certain && !o.manager.equals(manager)) {
            fail("T", manager + " deleted " + what + " of registry " + reg + ", managed by " + o.manager);
        }
        objs.remove(key);
    }

    private void uncertain(Obj<?> o) {
        if (o != null) o.certain = false;
    }

    /**
     * Runs one engine call. Success updates the model; a refusal changes nothing; any other engine
     * failure is expected only while faults are injected and leaves the object uncertain.
     */
    private <T> void attempt(Op op, Supplier<T> call, Consumer<T> onSuccess, Runnable onUncertain) {
        T result;
        try {
            result = call.get();
        } catch (EngineException e) {
            if (REFUSALS.contains(e.kind())) {
                model.refused(e.kind());
                return;
            }
            model.uncertainOutcomes++;
            onUncertain.run();
            if (!faultsArmed) fail("0", op + " failed without injected faults: " + e.kind() + ": " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            model.uncertainOutcomes++;
            onUncertain.run();
            fail("0", op + " broke the error contract: " + e.getClass().getName() + ": " + e.getMessage());
            return;
        }
        onSuccess.accept(result);
    }

    private Reg reg(String name) {
        return model.reg(name);
    }

    private Engine engine(Reg r) {
        return engines.get(r.name);
    }

    private void fail(String invariant, String message) {
        if (!ENABLED.contains(invariant)) return;
        throw new AssertionError("invariant (" + invariant + ") broken at step " + model.steps + ": " + message
                + "\n  steps so far:\n    " + String.join("\n    ", history));
    }

    // ------------------------------------------------------------------ what the simulator holds

    /** One guest as the simulator's state shows it. */
    record Guest(int vmid, String node, String status, String hostname, String mac, String ip, int cores, int memory,
                 long diskGb, String lock) {}

    record ProxState(Map<Integer, Guest> guests, Map<String, Set<Integer>> pools, Set<String> users, Set<String> groups,
                     Set<String> acl) {}

    ProxState proxState() {
        JsonNode s;
        try {
            s = JSON.readTree(sim.stateJson());
        } catch (Exception e) {
            throw new IllegalStateException("simulator state is not JSON", e);
        }
        Map<Integer, Guest> guests = new TreeMap<>();
        s.path("containers").forEach(c -> {
            JsonNode cfg = c.path("config");
            Map<String, String> net = props(cfg.path("net0").asText(""));
            String ip = net.getOrDefault("ip", "");
            int slash = ip.indexOf('/');
            guests.put(c.path("vmid").asInt(), new Guest(c.path("vmid").asInt(), c.path("node").asText(),
                    c.path("status").asText(), cfg.path("hostname").asText(null),
                    net.containsKey("hwaddr") ? net.get("hwaddr").toLowerCase(Locale.ROOT) : null,
                    slash > 0 ? ip.substring(0, slash) : ip.isEmpty() ? null : ip, cfg.path("cores").asInt(1),
                    cfg.path("memory").asInt(512), ContainerConverger.sizeGiB(props(cfg.path("rootfs").asText("")).get("size")),
                    cfg.path("lock").asText(null)));
        });
        Map<String, Set<Integer>> pools = new TreeMap<>();
        s.path("pools").forEach(p -> {
            Set<Integer> vms = new TreeSet<>();
            p.path("vms").forEach(v -> vms.add(v.asInt()));
            pools.put(p.path("poolid").asText(), vms);
        });
        Set<String> users = new TreeSet<>();
        s.path("users").fieldNames().forEachRemaining(users::add);
        Set<String> groups = new TreeSet<>();
        s.path("groups").fieldNames().forEachRemaining(groups::add);
        Set<String> acl = new TreeSet<>();
        s.path("acl").forEach(a -> acl.add(a.path("path").asText() + " " + a.path("type").asText() + ":"
                + a.path("ugid").asText() + " " + a.path("roleid").asText()));
        return new ProxState(guests, pools, users, groups, acl);
    }

    /** A Proxmox property string ({@code name=eth0,hwaddr=...} or {@code local-lvm:vm-100-disk-0,size=2G}). */
    private static Map<String, String> props(String text) {
        Map<String, String> m = new HashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) m.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return m;
    }

    private List<TaskSummary> tasks() {
        List<TaskSummary> all = new ArrayList<>();
        for (String node : List.of("pve1", "pve2")) {
            all.addAll(admin.tasks().list(node, TaskQuery.all().withLimit(1_000_000)));
        }
        return all;
    }

    // ------------------------------------------------------------------ invariants

    /** vmid -> "reg/site/name" of every container the model holds as certain. */
    private Map<Integer, String> certainVmids() {
        Map<Integer, String> m = new HashMap<>();
        model.regs.values().forEach(r -> r.containers.forEach((k, o) -> {
            if (o.certain && o.vmid != null) m.put(o.vmid, r.name + "/" + k);
        }));
        return m;
    }

    /** Containers per pool: registry rows (per registry) and guests of that registry in the Proxmox pool. */
    record Counts(Map<String, Long> rows, Map<String, Long> proxmox) {}

    private Counts counts() {
        return counts(proxState());
    }

    private Counts counts(ProxState st) {
        Map<String, Long> rows = new HashMap<>(), prox = new HashMap<>();
        for (Reg r : model.regs.values()) {
            Engine e = engine(r);
            List<Container> cs = e.registry().containers().list();
            Set<String> macs = cs.stream().map(c -> c.mac() == null ? "" : c.mac().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
            for (var p : e.registry().pools().list()) {
                rows.put(r.name + "/" + p.name(), cs.stream().filter(c -> Objects.equals(c.spec().poolId(), p.id())).count());
                prox.put(r.name + "/" + p.name(), st.pools.getOrDefault(p.name(), Set.of()).stream()
                        .map(st.guests::get).filter(Objects::nonNull).filter(g -> g.mac() != null && macs.contains(g.mac())).count());
            }
        }
        return new Counts(rows, prox);
    }

    private void checkInvariants(Op op, Map<Integer, String> certainBefore, Counts before) {
        ProxState st = proxState();
        String deleting = op instanceof DeleteContainer d ? d.reg() + "/" + d.site() + "/" + d.name() : null;
        // (1) no guest destroyed (or stopped hard) that the model did not delete
        for (TaskSummary t : tasks()) {
            if (!seenTasks.add(t.upid())) continue;
            if (!t.type().equals("vzdestroy") && !t.type().equals("vzstop")) continue;
            String holder = certainBefore.get(Integer.parseInt(t.id()));
            if (holder != null && !holder.equals(deleting)) {
                fail("1", t.type() + " task " + t.upid() + " ran on the guest of " + holder + " during '" + op + "'");
            }
        }
        for (Reg r : model.regs.values()) {
            Engine e = engine(r);
            Map<Long, String> siteNames = e.registry().sites().list().stream().collect(Collectors.toMap(Site::id, Site::name));
            Map<String, Container> rows = new TreeMap<>();
            for (Container c : e.registry().containers().list()) rows.put(siteNames.get(c.siteId()) + "/" + c.name(), c);
            Map<Long, String> poolNames = new HashMap<>();
            e.registry().pools().list().forEach(p -> poolNames.put(p.id(), p.name()));

            // (1) every container the model holds as created exists, as specified, with a guest of this registry
            r.containers.forEach((key, o) -> {
                if (!o.certain) return;
                Container row = rows.get(key);
                if (row == null) {
                    fail("1", "container " + key + " of registry " + r.name + " has no registry row any more");
                    return;
                }
                if (!Objects.equals(row.vmid(), o.vmid)) {
                    fail("1", "container " + key + " of registry " + r.name + " moved from vmid " + o.vmid + " to " + row.vmid());
                }
                Guest g = row.vmid() == null ? null : st.guests.get(row.vmid());
                if (g == null) {
                    fail("1", "container " + key + " of registry " + r.name + ": guest " + row.vmid() + " is gone from Proxmox");
                    return;
                }
                if (!Objects.equals(g.mac(), o.mac == null ? null : o.mac.toLowerCase(Locale.ROOT))) {
                    fail("1", "container " + key + " of registry " + r.name + ": guest " + g.vmid() + " is not its guest (mac "
                            + g.mac() + ", expected " + o.mac + ", hostname " + g.hostname() + ")");
                    return;
                }
                String want = o.spec.powerState() == ContainerSpec.PowerState.RUNNING ? "running" : "stopped";
                if (!want.equals(g.status()) || g.cores() != o.spec.cores() || g.memory() != o.spec.memoryMb()
                        || g.diskGb() < o.diskGb || g.lock() != null) {
                    fail("1", "container " + key + " of registry " + r.name + " is not as applied: " + g + ", spec " + o.spec
                            + ", disk >= " + o.diskGb);
                }
                // (2) its guest is in the Proxmox pool its spec names
                if (o.spec.pool() != null && !st.pools.getOrDefault(o.spec.pool(), Set.of()).contains(g.vmid())) {
                    fail("2", "container " + key + " of registry " + r.name + " (vmid " + g.vmid() + ") is not in Proxmox pool "
                            + o.spec.pool() + " (pools: " + st.pools + ")");
                }
            });
            // (1) every pool the model holds exists in Proxmox
            r.pools.forEach((name, o) -> {
                if (o.certain && !st.pools.containsKey(name)) {
                    fail("1", "pool " + name + " of registry " + r.name + " is gone from Proxmox");
                }
            });

            // (3) no registry row the model does not hold (leaks), no ip/mac/port held twice in one site
            rows.forEach((key, c) -> {
                if (!r.containers.containsKey(key)) {
                    fail("3", "registry " + r.name + " still holds container " + key + " (vmid " + c.vmid() + ") the model deleted or never had");
                }
            });
            for (Site site : e.registry().sites().list()) {
                List<Container> cs = rows.values().stream().filter(c -> c.siteId() == site.id()).toList();
                duplicates("3", "registry " + r.name + " site " + site.name() + " ipv4", cs.stream().map(Container::ipv4).toList());
                duplicates("3", "registry " + r.name + " site " + site.name() + " mac", cs.stream().map(Container::mac).toList());
                List<Service> svcs = e.registry().services().listBySite(site.id());
                duplicates("3", "registry " + r.name + " site " + site.name() + " port",
                        svcs.stream().map(s -> s.spec().protocol() + "/" + s.externalPort()).toList());
                Map<Long, String> cname = cs.stream().collect(Collectors.toMap(Container::id, Container::name));
                for (Service s : svcs) {
                    String key = site.name() + "/" + cname.get(s.spec().containerId()) + "/" + s.name();
                    if (!r.services.containsKey(key)) fail("3", "registry " + r.name + " still holds service " + key);
                }
            }
            e.registry().pools().list().forEach(p -> {
                if (!r.pools.containsKey(p.name())) fail("3", "registry " + r.name + " still holds pool " + p.name());
            });
            e.registry().users().list().forEach(u -> {
                if (!r.users.containsKey(u.username())) fail("3", "registry " + r.name + " still holds user " + u.username());
            });
            e.registry().groups().list().forEach(g -> {
                if (!r.groups.containsKey(g.name())) fail("3", "registry " + r.name + " still holds group " + g.name());
            });
        }
        // (2) no pool over its quota, in the registry or in Proxmox (a quota lowered below the use is not a breach;
        // the use growing beyond it is)
        Counts now = counts(st);
        lastCounts = now;
        for (Reg r : model.regs.values()) {
            for (var p : engine(r).registry().pools().list()) {
                String k = r.name + "/" + p.name();
                Integer max = p.spec().maxContainers();
                if (max == null) continue;
                long rowsNow = now.rows.getOrDefault(k, 0L), proxNow = now.proxmox.getOrDefault(k, 0L);
                if (rowsNow > max && rowsNow > before.rows.getOrDefault(k, 0L)) {
                    fail("2", "pool " + p.name() + " of registry " + r.name + " holds " + rowsNow + " containers in the registry, maxContainers " + max);
                }
                if (proxNow > max && proxNow > before.proxmox.getOrDefault(k, 0L)) {
                    fail("2", "Proxmox pool " + p.name() + " holds " + proxNow + " guests of registry " + r.name + ", maxContainers " + max);
                }
            }
        }
        // (3) no vmid held twice by containers the model holds as created; no ip or mac twice in Proxmox
        Map<Integer, String> seen = new HashMap<>();
        model.regs.values().forEach(r -> r.containers.forEach((k, o) -> {
            if (!o.certain || o.vmid == null) return;
            String prev = seen.put(o.vmid, r.name + "/" + k);
            if (prev != null) fail("3", "vmid " + o.vmid + " held by " + prev + " and " + r.name + "/" + k);
        }));
        duplicates("3", "Proxmox guest mac", st.guests.values().stream().map(Guest::mac).toList());
        duplicates("3", "Proxmox guest ip", st.guests.values().stream().map(Guest::ip).toList());
    }

    private void duplicates(String invariant, String what, List<String> values) {
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            if (v != null && !seen.add(v)) fail(invariant, what + " " + v + " is held twice");
        }
    }

    // ------------------------------------------------------------------ (4) convergence and clean-up

    /**
     * With faults cleared: re-applies every object of the model (uncertain ones may now be refused:
     * their first apply never completed), resyncs each site, checks (1)-(3) with everything certain,
     * then deletes everything and checks that the simulator holds nothing proxplane made.
     */
    void finish() {
        long t0 = System.nanoTime();
        sim.faults().clear();
        faultsArmed = false;
        history.add("-- end of chain: faults cleared, everything re-applied, every site resynced, everything deleted --");
        for (Reg r : model.regs.values()) {
            Engine e = engine(r);
            reapply(r.pools, (m, s) -> e.pools().apply(m, s));
            reapply(r.users, (m, s) -> e.users().apply(m, s));
            // a group naming a member User deleted since is refused (NOT_FOUND naming the member):
            // expected, the engine does not refuse the User's delete (Terraform may delete it first)
            reapply(r.groups, (m, s) -> {
                List<String> gone = s.members().stream().filter(u -> !r.users.containsKey(u)).toList();
                if (gone.isEmpty()) {
                    e.groups().apply(m, s);
                    return;
                }
                try {
                    e.groups().apply(m, s);
                } catch (EngineException ex) {
                    if (ex.kind() != EngineException.Kind.NOT_FOUND) throw ex;
                }
            });
            for (var it = r.containers.entrySet().iterator(); it.hasNext(); ) {
                var en = it.next();
                Obj<ContainerSpec> o = en.getValue();
                try {
                    ContainerResult res = e.containers().apply(o.manager, o.spec);
                    o.certain = true;
                    o.vmid = res.status().vmid();
                    o.mac = res.status().mac();
                } catch (EngineException ex) {
                    if (o.certain && ex.kind() == EngineException.Kind.QUOTA && quotaLoweredBelowUse(e, o.spec.pool())) {
                        continue; // the pool's quota was lowered below its use: the container stays as it is
                    }
                    // a container whose owner User was deleted since is refused on its next apply (the
                    // engine does not refuse the User's delete: Terraform may delete it first)
                    boolean ownerGone = ex.kind() == EngineException.Kind.INVALID_SPEC && "owner".equals(ex.field())
                            && o.spec.owner() != null && !r.users.containsKey(o.spec.owner());
                    if (ownerGone && o.certain) {
                        continue; // stays as it is, with its old owner grant revoked on its delete below
                    }
                    // never created (its first apply failed) and now refused: removed below like any refusal
                    if (o.certain || !REFUSALS.contains(ex.kind())) {
                        fail("4", "re-applying container " + en.getKey() + " of registry " + r.name + " failed: " + ex.kind() + ": " + ex.getMessage());
                    }
                    deleteQuietly(() -> e.containers().delete(o.manager, o.spec.site(), o.spec.name()));
                    r.services.keySet().removeIf(k -> k.startsWith(en.getKey() + "/"));
                    it.remove();
                }
            }
            reapply(r.services, (m, s) -> e.services().apply(m, ContainerServiceSpec.tcp(s.site(), s.container(), s.name(), 22, s.requestedPort())));
        }
        for (Reg r : model.regs.values()) {
            for (String site : SafetyOps.SITES) {
                if (SKIP_RESYNC) continue;
                try {
                    engine(r).resync(site);
                } catch (RuntimeException ex) {
                    fail("4", "resync " + site + " of registry " + r.name + " failed without faults: " + ex);
                }
            }
        }
        checkInvariants(new ClearFaults(), certainVmids(), counts());
        ProxState st = proxState();
        Set<String> macs = new HashSet<>();
        model.regs.values().forEach(r -> r.containers.values().forEach(o -> macs.add(o.mac.toLowerCase(Locale.ROOT))));
        Set<Integer> lockedDestroyed = leftLockedDestroyed(st);
        for (Guest g : st.guests.values()) {
            if (lockedDestroyed.contains(g.vmid())) continue;
            if (!macs.contains(g.mac())) fail("4", "guest " + g + " belongs to no container of either registry after resync");
        }

        for (Reg r : model.regs.values()) {
            Engine e = engine(r);
            r.services.forEach((k, o) -> must(k, () -> e.services().delete(o.manager, o.spec.site(), o.spec.container(), o.spec.name())));
            r.containers.forEach((k, o) -> must(k, () -> e.containers().delete(o.manager, o.spec.site(), o.spec.name())));
            r.pools.forEach((k, o) -> must("pool " + k, () -> e.pools().delete(o.manager, k)));
            r.groups.forEach((k, o) -> must("group " + k, () -> e.groups().delete(o.manager, k)));
            r.users.forEach((k, o) -> must("user " + k, () -> e.users().delete(o.manager, k)));
            for (String site : SafetyOps.SITES) must("site " + site, () -> e.sites().delete(SITE_MANAGER, site));
        }
        ProxState end = proxState();
        List<String> left = new ArrayList<>();
        // a destroy task that failed after Proxmox replaced the config by "lock: destroyed" leaves that
        // empty config (only `pct unlock` on the node lifts it); nothing else of the guest may stay
        Set<Integer> guestsLeft = new TreeSet<>(end.guests.keySet());
        guestsLeft.removeAll(leftLockedDestroyed(end));
        if (!guestsLeft.isEmpty()) left.add("guests " + guestsLeft);
        diff(left, "pools", end.pools.keySet(), baseline.pools);
        diff(left, "users", end.users, baseline.users);
        diff(left, "groups", end.groups, baseline.groups);
        diff(left, "ACL entries", end.acl, baseline.acl);
        if (!left.isEmpty()) fail("4", "after deleting everything the simulator still holds " + String.join("; ", left));
        timing("finish", t0);
    }

    /** Guests that are only the empty config a failed destroy task leaves behind ("lock: destroyed"). */
    private Set<Integer> leftLockedDestroyed(ProxState st) {
        Set<Integer> failedDestroys = new HashSet<>();
        for (TaskSummary t : tasks()) {
            if (t.type().equals("vzdestroy") && t.endTime() != null && !"OK".equals(t.status())) {
                failedDestroys.add(Integer.parseInt(t.id()));
            }
        }
        Set<Integer> out = new TreeSet<>();
        for (Guest g : st.guests.values()) {
            if ("destroyed".equals(g.lock()) && g.hostname() == null && g.mac() == null && failedDestroys.contains(g.vmid())) {
                out.add(g.vmid());
            }
        }
        return out;
    }

    private static void timing(String what, long since) {
        if (Boolean.getBoolean("proxplane.safety.timing")) {
            System.out.printf("[engine-safety] %5d ms %s%n", (System.nanoTime() - since) / 1_000_000, what);
        }
    }

    private static boolean quotaLoweredBelowUse(Engine e, String pool) {
        if (pool == null) return false;
        var p = e.registry().pools().findByName(pool).orElse(null);
        if (p == null || p.spec().maxContainers() == null) return false;
        long use = e.registry().containers().list().stream().filter(c -> Objects.equals(c.spec().poolId(), p.id())).count();
        return use >= p.spec().maxContainers();
    }

    private <T> void reapply(Map<String, Obj<T>> objs, java.util.function.BiConsumer<String, T> apply) {
        for (var it = objs.entrySet().iterator(); it.hasNext(); ) {
            var en = it.next();
            Obj<T> o = en.getValue();
            try {
                apply.accept(o.manager, o.spec);
                o.certain = true;
            } catch (EngineException ex) {
                if (o.certain || !REFUSALS.contains(ex.kind())) {
                    fail("4", "re-applying " + en.getKey() + " (" + o + ") failed: " + ex.kind() + ": " + ex.getMessage());
                }
                it.remove();
            }
        }
    }

    private void must(String what, Runnable delete) {
        try {
            delete.run();
        } catch (RuntimeException ex) {
            fail("4", "deleting " + what + " failed without faults: " + ex);
        }
    }

    private static void deleteQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // the final check reports whatever stays behind
        }
    }

    private static void diff(List<String> out, String what, Set<String> now, Set<String> base) {
        Set<String> extra = new TreeSet<>(now);
        extra.removeAll(base);
        if (!extra.isEmpty()) out.add(what + " " + extra);
    }

    @Override
    public void close() {
        for (Engine e : engines.values()) {
            try {
                e.close();
            } catch (RuntimeException ignored) {
                // closing the rest matters more
            }
        }
        if (admin != null) admin.close();
        if (sim != null) sim.close();
        for (String db : dbs.values()) {
            try {
                databases.drop(db);
            } catch (RuntimeException ignored) {
                // the next database still gets dropped
            }
        }
    }
}
