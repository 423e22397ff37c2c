package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.engine.spec.UserSpec;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What should exist, per registry, after the engine's answers so far. An object is {@code certain}
 * when its last apply succeeded; an apply that failed while faults were injected leaves it
 * uncertain (it may or may not exist in Proxmox yet) until an apply or delete succeeds again.
 */
final class SafetyModel {

    /** One declared object: who manages it, the spec last applied, and what the engine allocated. */
    static final class Obj<T> {
        final String manager;
        T spec;
        boolean certain;
        /** Containers only: allocation as the engine reported it on the last successful apply. */
        Integer vmid;
        String mac;
        /** Containers only: the largest disk ever applied (disks only grow in place). */
        long diskGb;

        Obj(String manager, T spec, boolean certain) {
            this.manager = manager;
            this.spec = spec;
            this.certain = certain;
        }

        @Override
        public String toString() {
            return (certain ? "" : "uncertain ") + spec + " by " + manager + (vmid == null ? "" : " vmid " + vmid);
        }
    }

    /** A TCP service (the only kind the chains declare). */
    record Svc(String site, String container, String name, Integer requestedPort) {}

    /** The model of one registry. Keys: containers {@code site/name}, services {@code site/container/name}. */
    static final class Reg {
        final String name;
        final Map<String, Obj<ContainerSpec>> containers = new TreeMap<>();
        final Map<String, Obj<Svc>> services = new TreeMap<>();
        final Map<String, Obj<PoolSpec>> pools = new TreeMap<>();
        final Map<String, Obj<UserSpec>> users = new TreeMap<>();
        final Map<String, Obj<GroupSpec>> groups = new TreeMap<>();

        Reg(String name) {
            this.name = name;
        }

        void dropContainer(String key) {
            containers.remove(key);
            services.keySet().removeIf(k -> k.startsWith(key + "/"));
        }
    }

    final Map<String, Reg> regs = new LinkedHashMap<>();
    final Map<EngineException.Kind, Integer> refusals = new EnumMap<>(EngineException.Kind.class);
    int steps, uncertainOutcomes, faultsInjected, skipped;

    SafetyModel() {
        regs.put("A", new Reg("A"));
        regs.put("B", new Reg("B"));
    }

    Reg reg(String name) {
        return regs.get(name);
    }

    void refused(EngineException.Kind kind) {
        refusals.merge(kind, 1, Integer::sum);
    }

    String summary() {
        return steps + " steps, refusals " + new TreeMap<>(refusals) + ", " + uncertainOutcomes
                + " uncertain outcomes under faults, " + faultsInjected + " faults injected, " + skipped + " edits skipped";
    }
}
