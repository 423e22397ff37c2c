package io.proxplane.core.registry;

public record Site(long id, SiteSpec spec, RowMeta meta) {
    public String name() { return spec.name(); }
}
