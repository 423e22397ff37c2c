package io.proxplane.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.proxplane.operator.api.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import static io.proxplane.operator.OperatorFixture.SYSTEM_NS;
import static io.proxplane.operator.OperatorFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Lease's safety promises, each test with its own API server: no reconcile without a Lease
 * write the API server accepted, none after the renew deadline, and the Lease released on close.
 */
class LeaseSafetyTest {
    static final Duration WAIT = Duration.ofSeconds(45);
    static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/" + SYSTEM_NS + "/leases";
    /** Every write a Lease can take: what RBAC without create/update/patch on leases refuses. */
    static final List<ApiServer.Refusal> LEASE_WRITES = List.of(new ApiServer.Refusal("PUT", LEASES, 403),
            new ApiServer.Refusal("PATCH", LEASES, 403), new ApiServer.Refusal("POST", LEASES, 403));
    OperatorFixture f;

    @BeforeEach
    void up() {
        f = new OperatorFixture("pve");
    }

    @AfterEach
    void down() {
        if (f != null) f.close();
    }

    Pool pool(String name) {
        return f.client.resources(Pool.class).inNamespace(SYSTEM_NS).withName(name).get();
    }

    Lease lease(String name) {
        return f.client.leases().inNamespace(SYSTEM_NS).withName(name).get();
    }

    static java.io.OutputStream tee(java.io.OutputStream a, java.io.OutputStream b) {
        return new java.io.OutputStream() {
            @Override
            public void write(int x) throws java.io.IOException {
                a.write(x);
                b.write(x);
            }

            @Override
            public void write(byte[] buf, int off, int len) throws java.io.IOException {
                a.write(buf, off, len);
                b.write(buf, off, len);
            }
        };
    }

    static LeaseElector.Settings settings(String lease, String identity, int leaseSeconds, Duration renewDeadline) {
        return new LeaseElector.Settings(SYSTEM_NS, lease, identity, Duration.ofSeconds(leaseSeconds), renewDeadline, Duration.ofMillis(250));
    }

    @Test
    void aReplicaRestartedUnderALeaseNamingItThatItMayReadButNotRenewStaysPassive() {
        // the replica's previous life holds the Lease, renewed a moment ago; RBAC now lets it read the Lease only
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        f.client.resource(new LeaseBuilder().withNewMetadata().withName("restarted").withNamespace(SYSTEM_NS).endMetadata()
                .withNewSpec().withHolderIdentity("replica-r").withLeaseDurationSeconds(2).withAcquireTime(now).withRenewTime(now)
                .endSpec().build()).create();
        LEASE_WRITES.forEach(f.api::refuse);
        f.client.resource(LeaderElectionTest.pool("waiting")).create();

        // what the replica logs while refused (slf4j-simple writes to System.err as it is at each call)
        var log = new java.io.ByteArrayOutputStream();
        var err = System.err;
        OperatorFixture.Running r;
        System.setErr(new java.io.PrintStream(tee(err, log), true));
        try {
            r = f.startOperator("replica-r", settings("restarted", "replica-r", 2, Duration.ofMillis(1500)), Duration.ofMinutes(5));
            // bounded by work, not time: a dozen refused renewals, each after the operator could have reconciled
            await("a dozen refused Lease writes", WAIT, () -> f.api.refused.get(), n -> n >= 12);
        } finally {
            System.setErr(err);
        }
        List<String> lines = log.toString().lines().toList();
        assertThat(lines.stream().filter(l -> l.contains("cannot acquire Lease " + SYSTEM_NS + "/restarted: 403"))).as(log.toString())
                .hasSize(1); // the same refusal again is not repeated within a minute
        assertThat(lines).as("no stack trace").noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"));
        assertThat(LeaderElectionTest.reconciles(r)).as("reconciles while the Lease could not be renewed").isZero();
        assertThat(pool("waiting").getStatus()).isNull();
        assertThat(r.operator().passive()).isTrue();
        var health = new Health(r.operator(), r.engine());
        assertThat(health.readiness().ok()).as(health.readiness().toString()).isTrue();
        assertThat(health.liveness().ok()).as(health.liveness().toString()).isTrue();

        // renewals allowed again: the replica leads after an accepted write, and only then reconciles
        LEASE_WRITES.forEach(f.api::allow);
        await("pool 'waiting' Ready", WAIT, () -> pool("waiting"), OperatorFixture::ready);
        assertThat(lease("restarted").getSpec().getHolderIdentity()).isEqualTo("replica-r");
        assertThat(lease("restarted").getSpec().getRenewTime()).isAfter(now);
    }

    @Test
    void aLeaderThatCannotRenewStopsReconcilingBeforeItsLeaseExpires() {
        // 15 s lease, 5 s renew deadline: the margin is 10 s, far above any scheduling delay
        OperatorFixture.Running r = f.startOperator("leader-x", settings("renewals", "leader-x", 15, Duration.ofSeconds(5)),
                Duration.ofMinutes(5));
        f.client.resource(LeaderElectionTest.pool("before")).create();
        await("pool 'before' Ready", WAIT, () -> pool("before"), OperatorFixture::ready);

        LEASE_WRITES.forEach(f.api::refuse);
        await("the leader stops", WAIT, () -> r.operator().elector().state(), LeaseElector.State.LOST::equals);
        Lease last = lease("renewals");
        Instant expiry = last.getSpec().getRenewTime().toInstant().plusSeconds(last.getSpec().getLeaseDurationSeconds());
        assertThat(r.operator().elector().stoppedAt()).as("stopped before the Lease it last renewed expired").isBefore(expiry);
        assertThat(r.operator().operator().getRuntimeInfo().isStarted()).as("reconciling stopped").isFalse();
        assertThat(r.operator().elector().holder()).isEqualTo("leader-x"); // lost by its deadline, not to another holder
    }

    @Test
    void closingReleasesTheLease() {
        OperatorFixture.Running r = f.startOperator("leaving", settings("released", "leaving", 15, Duration.ofSeconds(10)),
                Duration.ofMinutes(5));
        await("leading", WAIT, () -> r.operator().elector().state(), LeaseElector.State.LEADING::equals);
        await("Lease written", WAIT, () -> lease("released"), l -> "leaving".equals(l.getSpec().getHolderIdentity()));
        r.close();
        Lease after = lease("released");
        assertThat(after.getSpec().getHolderIdentity()).as("no holder after close").isNull();
        assertThat(after.getSpec().getLeaseDurationSeconds()).isEqualTo(1);
    }
}
