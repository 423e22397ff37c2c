package io.proxplane.core.registry;

/** A stored user; {@code spec().uid()} is the allocated uid, {@code spec().privateGid()} its private group's gid. */
public record User(long id, UserSpec spec, RowMeta meta) {
    public String username() { return spec.username(); }

    public int uid() { return spec.uid(); }

    public int privateGid() { return spec.privateGid(); }
}
