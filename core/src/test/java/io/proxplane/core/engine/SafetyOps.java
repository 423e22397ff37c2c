package io.proxplane.core.engine;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.Transformer;

import java.util.List;

/**
 * The steps of an engine-safety chain: plain data with a readable {@code toString()} (that is what
 * a shrunk counterexample shows), generated from small name spaces so that steps collide often:
 * two registries (A, B), two sites on one cluster (s1, s2), containers c1-c3, pools p1-p2, users
 * u1-u2, groups g1-g2, two managers.
 */
final class SafetyOps {
    static final List<String> REGS = List.of("A", "B");
    static final List<String> SITES = List.of("s1", "s2");
    static final List<String> CONTAINERS = List.of("c1", "c2", "c3");
    static final List<String> POOLS = List.of("p1", "p2");
    static final List<String> USERS = List.of("u1", "u2");
    static final List<String> GROUPS = List.of("g1", "g2");
    static final List<String> MANAGERS = List.of("terraform:a", "k8s:ns/x");

    private SafetyOps() {}

    sealed interface Op permits ApplyContainer, EditContainer, DeleteContainer, ApplyPool, DeletePool, ApplyService,
            DeleteService, ApplyUser, DeleteUser, ApplyGroup, DeleteGroup, Resync, InjectFault, ClearFaults {}

    record ApplyContainer(String reg, String site, String name, String manager, String pool, int cores, int memoryMb,
                          int diskGb, boolean running, String owner) implements Op {
        @Override public String toString() {
            return "apply container " + site + "/" + name + " (reg " + reg + ", " + manager + ", pool " + pool + ", cores "
                    + cores + ", mem " + memoryMb + ", disk " + diskGb + ", " + (running ? "running" : "stopped")
                    + (owner == null ? "" : ", owner " + owner) + ")";
        }
    }

    enum EditKind { CORES, MEMORY, DISK_GROW, POWER, POOL }

    /** Changes one field of the container's last applied spec and applies it through its own manager. */
    record EditContainer(String reg, String site, String name, EditKind kind, int value, String pool) implements Op {
        @Override public String toString() {
            String what = switch (kind) {
                case CORES -> "cores " + value;
                case MEMORY -> "memory " + value;
                case DISK_GROW -> "disk +" + value;
                case POWER -> "power toggle";
                case POOL -> "pool " + pool;
            };
            return "edit container " + site + "/" + name + " (reg " + reg + ", " + what + ")";
        }
    }

    record DeleteContainer(String reg, String site, String name, String manager) implements Op {
        @Override public String toString() {
            return "delete container " + site + "/" + name + " (reg " + reg + ", " + manager + ")";
        }
    }

    /** {@code grant}: null, {@code group:g1} or {@code user:u1} (role PVEVMUser on /pool/<name>). */
    record ApplyPool(String reg, String name, String manager, int maxContainers, String grant) implements Op {
        @Override public String toString() {
            return "apply pool " + name + " (reg " + reg + ", " + manager + ", maxContainers " + maxContainers
                    + (grant == null ? "" : ", grant " + grant) + ")";
        }
    }

    record DeletePool(String reg, String name, String manager) implements Op {
        @Override public String toString() {
            return "delete pool " + name + " (reg " + reg + ", " + manager + ")";
        }
    }

    record ApplyService(String reg, String site, String container, String name, String manager, Integer port) implements Op {
        @Override public String toString() {
            return "apply service " + site + "/" + container + "/" + name + " (reg " + reg + ", " + manager + ", tcp "
                    + (port == null ? "any port" : "port " + port) + ")";
        }
    }

    record DeleteService(String reg, String site, String container, String name, String manager) implements Op {
        @Override public String toString() {
            return "delete service " + site + "/" + container + "/" + name + " (reg " + reg + ", " + manager + ")";
        }
    }

    record ApplyUser(String reg, String name, String manager) implements Op {
        @Override public String toString() {
            return "apply user " + name + " (reg " + reg + ", " + manager + ")";
        }
    }

    record DeleteUser(String reg, String name, String manager) implements Op {
        @Override public String toString() {
            return "delete user " + name + " (reg " + reg + ", " + manager + ")";
        }
    }

    record ApplyGroup(String reg, String name, String manager, List<String> members) implements Op {
        @Override public String toString() {
            return "apply group " + name + " (reg " + reg + ", " + manager + ", members " + members + ")";
        }
    }

    record DeleteGroup(String reg, String name, String manager) implements Op {
        @Override public String toString() {
            return "delete group " + name + " (reg " + reg + ", " + manager + ")";
        }
    }

    record Resync(String reg, String site) implements Op {
        @Override public String toString() {
            return "resync " + site + " (reg " + reg + ")";
        }
    }

    enum FaultKind { FAIL_NEXT, FAIL_TASK, LATENCY }

    /**
     * A simulator fault. FAIL_NEXT: {@code method path} answers {@code status} {@code times} times;
     * FAIL_TASK: the next task of type {@code path} fails; LATENCY: 30 ms on {@code method path}.
     */
    record InjectFault(FaultKind kind, String method, String path, int status, int times) implements Op {
        @Override public String toString() {
            return switch (kind) {
                case FAIL_NEXT -> "fault: next " + times + " " + method + " " + path + " answer " + status;
                case FAIL_TASK -> "fault: next " + path + " task fails";
                case LATENCY -> "fault: latency on " + method + " " + path;
            };
        }
    }

    record ClearFaults() implements Op {
        @Override public String toString() {
            return "faults cleared";
        }
    }

    // ------------------------------------------------------------------ generators

    private static Arbitrary<String> of(List<String> values) {
        return Arbitraries.of(values);
    }

    /** Paths as the simulator matches them (relative to /api2/json); never the task list the harness reads. */
    private static final List<String[]> REQUEST_FAULTS = List.of(
            new String[] {"POST", "/nodes/[^/]+/lxc"},
            new String[] {"DELETE", "/nodes/[^/]+/lxc/\\d+"},
            new String[] {"POST", "/nodes/[^/]+/lxc/\\d+/status/(start|stop|shutdown)"},
            new String[] {"PUT", "/nodes/[^/]+/lxc/\\d+/config"},
            new String[] {"GET", "/nodes/[^/]+/lxc/\\d+/config"},
            new String[] {"PUT", "/nodes/[^/]+/lxc/\\d+/resize"},
            new String[] {"GET", "/cluster/resources"},
            new String[] {"POST", "/pools"},
            new String[] {"PUT", "/pools"},
            new String[] {"DELETE", "/pools"},
            new String[] {"PUT", "/access/acl"},
            new String[] {"POST", "/access/(users|groups)"});

    static Arbitrary<Op> applyContainer() {
        Arbitrary<String> pool = Arbitraries.of("p1", "p2").injectNull(0.4);
        Arbitrary<String> owner = Arbitraries.of("u1", "u2").injectNull(0.6);
        return Combinators.combine(of(REGS), of(SITES), of(CONTAINERS), of(MANAGERS), pool, Arbitraries.integers().between(1, 2),
                        Arbitraries.of(128, 256), Arbitraries.integers().between(1, 2))
                .flatAs((r, s, n, m, p, c, mem, d) -> Combinators.combine(Arbitraries.of(true, false), owner)
                        .as((run, o) -> (Op) new ApplyContainer(r, s, n, m, p, c, mem, d, run, o)));
    }

    static Arbitrary<Op> editContainer() {
        return Combinators.combine(of(REGS), of(SITES), of(CONTAINERS), Arbitraries.of(EditKind.class),
                        Arbitraries.integers().between(1, 3), Arbitraries.of("p1", "p2").injectNull(0.3))
                .as((r, s, n, k, v, p) -> switch (k) {
                    case CORES -> new EditContainer(r, s, n, k, v, null);
                    case MEMORY -> new EditContainer(r, s, n, k, 128 * v, null);
                    case DISK_GROW -> new EditContainer(r, s, n, k, 1, null);
                    case POWER -> new EditContainer(r, s, n, k, 0, null);
                    case POOL -> new EditContainer(r, s, n, k, 0, p);
                });
    }

    static Arbitrary<Op> deleteContainer() {
        return Combinators.combine(of(REGS), of(SITES), of(CONTAINERS), of(MANAGERS)).as(DeleteContainer::new);
    }

    static Arbitrary<Op> applyPool() {
        Arbitrary<String> grant = Arbitraries.of("group:g1", "group:g2", "user:u1", "user:u2").injectNull(0.5);
        return Combinators.combine(of(REGS), of(POOLS), of(MANAGERS), Arbitraries.integers().between(1, 3), grant)
                .as(ApplyPool::new);
    }

    static Arbitrary<Op> deletePool() {
        return Combinators.combine(of(REGS), of(POOLS), of(MANAGERS)).as(DeletePool::new);
    }

    static Arbitrary<Op> applyService() {
        return Combinators.combine(of(REGS), of(SITES), of(CONTAINERS), Arbitraries.of("ssh", "db"), of(MANAGERS),
                Arbitraries.of(2000, 2001).injectNull(0.5)).as(ApplyService::new);
    }

    static Arbitrary<Op> deleteService() {
        return Combinators.combine(of(REGS), of(SITES), of(CONTAINERS), Arbitraries.of("ssh", "db"), of(MANAGERS))
                .as(DeleteService::new);
    }

    static Arbitrary<Op> applyUser() {
        return Combinators.combine(of(REGS), of(USERS), of(MANAGERS)).as(ApplyUser::new);
    }

    static Arbitrary<Op> deleteUser() {
        return Combinators.combine(of(REGS), of(USERS), of(MANAGERS)).as(DeleteUser::new);
    }

    static Arbitrary<Op> applyGroup() {
        Arbitrary<List<String>> members = Arbitraries.of(List.of(), List.of("u1"), List.of("u2"), List.of("u1", "u2"));
        return Combinators.combine(of(REGS), of(GROUPS), of(MANAGERS), members).as(ApplyGroup::new);
    }

    static Arbitrary<Op> deleteGroup() {
        return Combinators.combine(of(REGS), of(GROUPS), of(MANAGERS)).as(DeleteGroup::new);
    }

    static Arbitrary<Op> resync() {
        return Combinators.combine(of(REGS), of(SITES)).as(Resync::new);
    }

    static Arbitrary<Op> fault() {
        Arbitrary<Op> failNext = Combinators.combine(Arbitraries.of(REQUEST_FAULTS), Arbitraries.of(596, 503, 500),
                        Arbitraries.integers().between(1, 2))
                .as((mp, status, times) -> new InjectFault(FaultKind.FAIL_NEXT, mp[0], mp[1], status, times));
        // a failed "vzdestroy" leaves the empty config Proxmox locks "destroyed": the engine finishes
        // that delete itself, and the final check allows only that config to stay
        Arbitrary<Op> failTask = Arbitraries.of("vzcreate", "vzstart", "vzshutdown", "vzstop", "resize", "vzdestroy")
                .map(t -> new InjectFault(FaultKind.FAIL_TASK, null, t, 0, 1));
        Arbitrary<Op> latency = Arbitraries.of(REQUEST_FAULTS)
                .map(mp -> new InjectFault(FaultKind.LATENCY, mp[0], mp[1], 0, 0));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, failNext), net.jqwik.api.Tuple.of(3, failTask), net.jqwik.api.Tuple.of(1, latency));
    }

    static Arbitrary<Op> clearFaults() {
        return Arbitraries.just(new ClearFaults());
    }

    /** One jqwik action per kind of step; the transformer's description is the step's toString(). */
    static Action.Independent<SafetyWorld> action(Arbitrary<Op> ops) {
        return () -> ops.map(op -> Transformer.mutate(op.toString(), (SafetyWorld w) -> w.step(op)));
    }
}
