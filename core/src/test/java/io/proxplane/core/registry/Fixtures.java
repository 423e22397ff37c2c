package io.proxplane.core.registry;

import java.util.List;

/** Small builders shared by the registry tests. */
final class Fixtures {
    static final String K8S = "k8s:team-a/lab";
    static final String TF = "terraform:prod";

    private Fixtures() {}

    static SiteSpec site(String name, String cidr, String gateway, String dhcpStart, String dhcpEnd,
                         List<Ipv4Range> reserved) {
        return new SiteSpec(name, name + ".internal", cidr, gateway, dhcpStart, dhcpEnd, reserved,
                List.of("1.1.1.1"), "vmbr0",
                List.of(new ProxmoxEndpoint("https://pve1." + name + ":8006", "proxplane@pve!engine", "secret/pve-" + name)),
                "least-loaded", null);
    }

    static ContainerSpec container(long siteId, String name) {
        return new ContainerSpec(siteId, name, name, null, "docker.io/library/debian:12",
                new Resources(2, 2048, 0, 8), "alice", null, "running");
    }
}
