package io.proxplane.core.proxmox;

import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import io.proxplane.core.proxmox.model.LxcCreateRequest;
import io.proxplane.core.proxmox.model.NetworkInterface;
import io.proxplane.core.proxmox.model.RootFs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** Test helpers: clients wired to a simulator, a recording sleeper, a settable clock. */
final class SimClients {

    static final String NODE = "pve";
    static final String TEMPLATE = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";

    private SimClients() {
    }

    /** Root token client, pinned TLS, retries that record instead of sleeping. */
    static ProxmoxClient rootClient(PveSimulator sim, List<Duration> sleeps) {
        return builder(sim)
                .apiToken(PveSimulatorExtension.DEFAULT_TOKEN_ID, PveSimulatorExtension.DEFAULT_TOKEN_SECRET)
                .retryPolicy(RetryPolicy.of(4, Duration.ofMillis(100), Duration.ofSeconds(1)).withSleeper(sleeps::add))
                .build();
    }

    static ProxmoxClient rootClient(PveSimulator sim) {
        return rootClient(sim, new CopyOnWriteArrayList<>());
    }

    static ProxmoxClient.Builder builder(PveSimulator sim) {
        return ProxmoxClient.builder()
                .endpoint(sim.baseUrl())
                .tls(TlsTrust.pinnedSha256(sim.certificateFingerprintSha256()))
                .taskPolling(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    static LxcCreateRequest.Builder container(int vmid) {
        return LxcCreateRequest.builder(vmid, TEMPLATE)
                .hostname("ct" + vmid)
                .cores(1)
                .memory(512)
                .rootfs(RootFs.allocate("local-lvm", 4))
                .net(0, NetworkInterface.dhcp("eth0", "vmbr0"));
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
