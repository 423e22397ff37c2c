package io.proxplane.core.registry;

/** A stored group; {@code spec().gid()} is the allocated gid. */
public record Group(long id, GroupSpec spec, RowMeta meta) {
    public String name() { return spec.name(); }

    public int gid() { return spec.gid(); }
}
