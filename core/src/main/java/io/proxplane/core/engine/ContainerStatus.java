package io.proxplane.core.engine;

/**
 * A container as observed: registry id, allocated addresses, where it runs and its state
 * ({@code running}, {@code stopped}, {@code creating}, {@code missing}, {@code deleted}).
 */
public record ContainerStatus(long id, String site, String name, Integer vmid, String node, String mac, String ipv4,
                              String fqdn, String state, String managedBy) {
}
