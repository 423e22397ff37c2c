package io.proxplane.core.registry;

/** A stored user; {@code spec().uid()} is the allocated uid. */
public record User(long id, UserSpec spec, RowMeta meta) {
    public String username() { return spec.username(); }

    public int uid() { return spec.uid(); }
}
