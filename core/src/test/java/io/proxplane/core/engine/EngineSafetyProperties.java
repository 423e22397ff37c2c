package io.proxplane.core.engine;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.state.ActionChain;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's safety invariants under random sequences of front-door calls, resyncs and Proxmox
 * faults, with two sites on one simulated cluster and two registries that share nothing but that
 * cluster (see {@link SafetyWorld} for the set-up and the invariants, {@link SafetyOps} for the steps):
 * <ol>
 *   <li>nothing the model did not delete is gone (no guest destroyed or hard-stopped, no pool removed);</li>
 *   <li>no pool over its quota, in the registry or in Proxmox;</li>
 *   <li>no ip, mac, service port or vmid held twice, no registry row left behind by a delete;</li>
 *   <li>after the chain, with faults cleared, re-applying everything and one resync per site converges,
 *       and deleting everything leaves the simulator holding nothing proxplane made.</li>
 * </ol>
 * Each try gets a fresh simulator and two fresh databases. Tries default to 30 (junit-platform.properties);
 * {@code -Djqwik.tries.default=300} runs more. A failure shows the shrunk chain, one readable line per step.
 */
@Tag("property")
class EngineSafetyProperties {
    private final List<SafetyWorld> open = new ArrayList<>();
    private SafetyDatabases databases;

    @BeforeProperty
    void template() {
        databases = new SafetyDatabases();
    }

    @Property(maxDiscardRatio = 1)
    void engineKeepsItsSafetyInvariants(@ForAll("chains") ActionChain<SafetyWorld> chain) {
        SafetyWorld world = chain.run();
        world.finish();
        System.out.println("[engine-safety] " + world.model.summary());
    }

    @Provide
    Arbitrary<ActionChain<SafetyWorld>> chains() {
        return ActionChain.<SafetyWorld>startWith(this::newWorld)
                .withAction(8, SafetyOps.action(SafetyOps.applyContainer()))
                .withAction(6, SafetyOps.action(SafetyOps.editContainer()))
                .withAction(4, SafetyOps.action(SafetyOps.deleteContainer()))
                .withAction(3, SafetyOps.action(SafetyOps.applyPool()))
                .withAction(1, SafetyOps.action(SafetyOps.deletePool()))
                .withAction(2, SafetyOps.action(SafetyOps.applyService()))
                .withAction(1, SafetyOps.action(SafetyOps.deleteService()))
                .withAction(1, SafetyOps.action(SafetyOps.applyUser()))
                .withAction(1, SafetyOps.action(SafetyOps.deleteUser()))
                .withAction(1, SafetyOps.action(SafetyOps.applyGroup()))
                .withAction(1, SafetyOps.action(SafetyOps.deleteGroup()))
                .withAction(3, SafetyOps.action(SafetyOps.resync()))
                .withAction(2, SafetyOps.action(SafetyOps.fault()))
                .withAction(2, SafetyOps.action(SafetyOps.clearFaults()))
                .withMaxTransformations(60);
    }

    private SafetyWorld newWorld() {
        SafetyWorld w = new SafetyWorld(databases);
        synchronized (open) {
            open.add(w);
        }
        return w;
    }

    /** Every try, shrinking tries included, closes its engines and simulator and drops its databases. */
    @AfterTry
    void reap() {
        synchronized (open) {
            open.forEach(SafetyWorld::close);
            open.clear();
        }
    }

    @AfterProperty
    void dropTemplate() {
        reap();
        if (databases != null) databases.close();
    }
}
