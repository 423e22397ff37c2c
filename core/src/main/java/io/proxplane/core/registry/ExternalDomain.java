package io.proxplane.core.registry;

public record ExternalDomain(long id, ExternalDomainSpec spec, RowMeta meta) {
    public String name() { return spec.name(); }
}
