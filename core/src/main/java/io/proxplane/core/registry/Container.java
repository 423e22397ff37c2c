package io.proxplane.core.registry;

/**
 * A container as the registry knows it: the requested spec, the values allocated for it (vmid,
 * MAC, IPv4; null until reserved), what was last observed, and the Proxmox task in flight.
 */
public record Container(long id, ContainerSpec spec, Integer vmid, String mac, String ipv4, String observedState,
                        String taskUpid, String intent, RowMeta meta) {
    public String name() { return spec.name(); }

    public long siteId() { return spec.siteId(); }
}
