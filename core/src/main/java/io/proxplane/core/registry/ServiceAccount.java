package io.proxplane.core.registry;

/** A stored service account (migration V9). */
public record ServiceAccount(long id, ServiceAccountSpec spec, RowMeta meta) {
    public String name() { return spec.name(); }
}
