package io.proxplane.core.registry;

public record Pool(long id, PoolSpec spec, RowMeta meta) {
    public String name() { return spec.name(); }
}
