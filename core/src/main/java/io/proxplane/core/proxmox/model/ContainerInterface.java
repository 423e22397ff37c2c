package io.proxplane.core.proxmox.model;

import java.util.List;

/** An interface inside a running container, from {@code GET /nodes/{node}/lxc/{vmid}/interfaces}. */
public record ContainerInterface(String name, String hwaddr, List<IpAddress> addresses) {

    public ContainerInterface {
        addresses = List.copyOf(addresses);
    }

    /** @param type {@code inet} or {@code inet6} */
    public record IpAddress(String address, String type, int prefix) {
        public boolean isIpv4() {
            return "inet".equals(type);
        }
    }
}
