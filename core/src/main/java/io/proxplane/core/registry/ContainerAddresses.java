package io.proxplane.core.registry;

/**
 * What a container needs before Proxmox creates it: its vmid, MAC and IPv4 address, plus the
 * site's prefix length and gateway for {@code net0: hwaddr=<mac>,ip=<ipv4>/<prefix>,gw=<gateway>}.
 */
public record ContainerAddresses(long containerId, int vmid, String mac, String ipv4, int prefixLength, String gateway) {}
