package io.proxplane.core.registry;

/** A stored service; {@code spec().externalPort()} is the allocated port for tcp/udp services. */
public record Service(long id, long siteId, ServiceSpec spec, RowMeta meta) {
    public String name() { return spec.name(); }

    public Integer externalPort() { return spec.externalPort(); }
}
