package io.proxplane.local;

import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.TlsTrust;
import io.proxplane.core.proxmox.model.ContainerInterface;
import io.proxplane.core.proxmox.model.DestroyOptions;
import io.proxplane.core.proxmox.model.LxcConfig;
import io.proxplane.core.proxmox.model.LxcConfigUpdate;
import io.proxplane.core.proxmox.model.LxcCreateRequest;
import io.proxplane.core.proxmox.model.NetworkInterface;
import io.proxplane.core.proxmox.model.NodeInfo;
import io.proxplane.core.proxmox.model.RootFs;
import io.proxplane.core.proxmox.model.StorageContent;
import io.proxplane.core.proxmox.model.Upid;
import io.proxplane.pvesim.PveSimulator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The README's main job. Without a Proxmox endpoint it starts the embedded simulator; then it
 * walks one container through its whole life with the Proxmox client, printing each step and
 * the API calls it took.
 */
public final class LocalPlatform {

    private static final Duration TASK_TIMEOUT = Duration.ofMinutes(5);

    private final PrintStream out;

    LocalPlatform(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        LocalOptions options;
        try {
            options = LocalOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(LocalOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(LocalOptions.USAGE);
            return;
        }
        new LocalPlatform(System.out).run(options);
    }

    void run(LocalOptions options) throws Exception {
        PveSimulator simulator = null;
        try {
            ProxmoxClient.Builder client = ProxmoxClient.builder();
            if (options.proxmoxUrl() == null) {
                simulator = PveSimulator.builder()
                        .port(options.simulatorPort())
                        .nodes("pve")
                        .apiToken(LocalOptions.SIMULATOR_TOKEN_ID, LocalOptions.SIMULATOR_TOKEN_SECRET)
                        .taskDuration(Duration.ofMillis(300))
                        .build()
                        .start();
                out.printf("==> no Proxmox endpoint given: started the embedded PVE simulator at %s%n", simulator.baseUrl());
                out.printf("    its certificate is self-signed; SHA-256 pin %s%n", simulator.certificateFingerprintSha256());
                client.endpoint(simulator.baseUrl())
                        .apiToken(LocalOptions.SIMULATOR_TOKEN_ID, LocalOptions.SIMULATOR_TOKEN_SECRET)
                        .tls(TlsTrust.pinnedSha256(simulator.certificateFingerprintSha256()));
            } else {
                out.printf("==> using Proxmox VE at %s%n", options.proxmoxUrl());
                client.endpoint(options.proxmoxUrl()).apiToken(options.tokenId(), options.tokenSecret())
                        .tls(options.tlsTrust());
            }
            try (ProxmoxClient proxmox = client.build()) {
                walkOneContainer(proxmox, options);
                out.println("==> Proxmox API calls made, per endpoint:");
                proxmox.requestCounts().forEach((endpoint, n) -> out.printf("    %3d  %s%n", n, endpoint));
            }
            if (simulator != null && options.keepRunning()) {
                out.printf("==> the simulator keeps running at %s (Ctrl-C to stop). Try:%n", simulator.baseUrl());
                out.printf("    curl -k -H 'Authorization: PVEAPIToken=%s=%s' %s/api2/json/cluster/resources%n",
                        LocalOptions.SIMULATOR_TOKEN_ID, LocalOptions.SIMULATOR_TOKEN_SECRET, simulator.baseUrl());
                Thread.currentThread().join();
            }
        } finally {
            if (simulator != null) {
                simulator.close();
            }
        }
    }

    private void walkOneContainer(ProxmoxClient proxmox, LocalOptions options) {
        var version = proxmox.version();
        out.printf("==> Proxmox VE %s (release %s)%n", version.version(), version.release());

        String node = options.node() != null ? options.node()
                : proxmox.nodes().list().stream().filter(NodeInfo::isOnline).map(NodeInfo::node).sorted()
                        .findFirst().orElseThrow(() -> new IllegalStateException("no online node"));
        String template = proxmox.nodes().storageContent(node, options.templateStorage(), "vztmpl").stream()
                .map(StorageContent::volid).filter(v -> v.contains("debian")).sorted().findFirst()
                .orElseThrow(() -> new IllegalStateException("no Debian vztmpl template on " + node + "/"
                        + options.templateStorage()));
        int vmid = proxmox.cluster().nextId();
        out.printf("==> node %s, template %s, next free vmid %d%n", node, template, vmid);

        LxcCreateRequest create = LxcCreateRequest.builder(vmid, template)
                .hostname("proxplane-demo")
                .cores(1).memory(512).swap(256)
                .rootfs(RootFs.allocate(options.rootStorage(), 4))
                .net(0, NetworkInterface.builder("eth0").bridge(options.bridge())
                        .ip(options.address()).gw(options.gateway()).build())
                .tags(List.of("proxplane", "demo"))
                .unprivileged(true)
                .build();
        step("create CT " + vmid, proxmox, proxmox.lxc().create(node, create));

        LxcConfig config = proxmox.lxc().config(node, vmid);
        out.printf("    config: hostname=%s cores=%d memory=%d net0=%s rootfs=%s%n",
                config.hostname().orElse("?"), config.cores().orElse(-1), config.memory().orElse(-1),
                config.net(0).map(NetworkInterface::toPropertyString).orElse("?"),
                config.rootfs().map(RootFs::toPropertyString).orElse("?"));

        step("start", proxmox, proxmox.lxc().start(node, vmid));
        out.printf("    status: %s%n", proxmox.lxc().status(node, vmid).status());
        for (ContainerInterface nic : proxmox.lxc().interfaces(node, vmid)) {
            out.printf("    interface %s %s %s%n", nic.name(), nic.hwaddr(),
                    nic.addresses().stream().map(a -> a.address() + "/" + a.prefix()).toList());
        }

        proxmox.lxc().updateConfig(node, vmid, LxcConfigUpdate.builder().cores(2).memory(1024)
                .digest(config.digest()).build());
        LxcConfig resized = proxmox.lxc().config(node, vmid);
        out.printf("==> updated in place (guarded by digest %s…): cores=%d memory=%d%n",
                config.digest().substring(0, 8), resized.cores().orElse(-1), resized.memory().orElse(-1));
        step("grow rootfs by 1G", proxmox, proxmox.lxc().resize(node, vmid, "rootfs", "+1G", null));
        out.printf("    rootfs: %s%n", proxmox.lxc().config(node, vmid).rootfs().map(RootFs::toPropertyString).orElse("?"));

        step("stop", proxmox, proxmox.lxc().stop(node, vmid));
        out.printf("    interfaces while stopped: %s%n", proxmox.lxc().interfaces(node, vmid));
        step("destroy (purge)", proxmox, proxmox.lxc().destroy(node, vmid, new DestroyOptions(true, false, false)));
        boolean gone = proxmox.lxc().list(node).stream().noneMatch(ct -> ct.vmid() == vmid);
        out.printf("    CT %d %s%n", vmid, gone ? "is gone" : "is STILL PRESENT");
        if (!gone) {
            throw new IllegalStateException("CT " + vmid + " still exists after destroy");
        }
    }

    private void step(String what, ProxmoxClient proxmox, Upid upid) {
        out.printf("==> %s: task %s%n", what, upid);
        var status = proxmox.tasks().await(upid, TASK_TIMEOUT);
        out.printf("    task %s finished: %s%n", upid.type(), status.exitStatus());
    }
}
