package io.proxplane.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.proxplane.operator.api.Pool;
import io.proxplane.operator.api.PoolSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.proxplane.operator.OperatorFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas against one API server and one registry: the second stays passive (no reconcile at
 * all) while the first holds the Lease, and takes over when the first goes.
 */
class LeaderElectionTest {
    static final Duration WAIT = Duration.ofSeconds(45);
    static OperatorFixture f;

    @BeforeAll
    static void up() {
        f = new OperatorFixture("pve");
    }

    @AfterAll
    static void down() {
        if (f != null) f.close();
    }

    static LeaseElector.Settings lease(String identity) {
        return new LeaseElector.Settings(OperatorFixture.SYSTEM_NS, "proxplane-operator", identity, Duration.ofSeconds(8),
                Duration.ofSeconds(6), Duration.ofMillis(250));
    }

    static String holder() {
        Lease l = f.client.leases().inNamespace(OperatorFixture.SYSTEM_NS).withName("proxplane-operator").get();
        return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    }

    static double reconciles(OperatorFixture.Running r) {
        return r.meters().find("proxplane.operator.reconciles").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    static Pool pool(String name) {
        Pool p = new Pool();
        p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(OperatorFixture.SYSTEM_NS).build());
        p.setSpec(new PoolSpec());
        return p;
    }

    @Test
    void theSecondReplicaStaysPassiveUntilTheLeaderGoes() {
        OperatorFixture.Running first = f.startOperator("replica-a", lease("replica-a"), Duration.ofMinutes(5));
        await("replica-a leads", WAIT, LeaderElectionTest::holder, "replica-a"::equals);
        OperatorFixture.Running second = f.startOperator("replica-b", lease("replica-b"), Duration.ofMinutes(5));

        f.client.resource(pool("before")).create();
        await("pool 'before' Ready", WAIT, () -> f.client.resources(Pool.class).inNamespace(OperatorFixture.SYSTEM_NS).withName("before").get(), OperatorFixture::ready);
        assertThat(reconciles(first)).isPositive();
        assertThat(reconciles(second)).as("the follower reconciled nothing").isZero();
        assertThat(holder()).isEqualTo("replica-a");
        var followerHealth = new Health(second.operator(), second.engine());
        assertThat(followerHealth.readiness().ok()).as("a passive replica is ready: " + followerHealth.readiness()).isTrue();
        assertThat(followerHealth.liveness().ok()).as("a passive replica is alive: " + followerHealth.liveness()).isTrue();

        first.close();
        // the leader released the Lease on close: taken over without waiting out its 8 s lease (bounded by
        // the follower's attempts: it sees the release on its next read)
        await("replica-b takes over", WAIT, LeaderElectionTest::holder, "replica-b"::equals);
        f.client.resource(pool("after")).create();
        await("pool 'after' Ready", WAIT, () -> f.client.resources(Pool.class).inNamespace(OperatorFixture.SYSTEM_NS).withName("after").get(), OperatorFixture::ready);
        assertThat(reconciles(second)).isPositive();
        assertThat(second.engine().registry().pools().findByName("after")).isPresent();
    }
}
