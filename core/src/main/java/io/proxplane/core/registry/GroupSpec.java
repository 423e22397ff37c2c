package io.proxplane.core.registry;

/** A directory group; {@code gid} null asks the allocator for one. */
public record GroupSpec(String name, Integer gid, boolean admin) {}
