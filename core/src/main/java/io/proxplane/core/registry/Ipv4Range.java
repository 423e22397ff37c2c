package io.proxplane.core.registry;

/** An inclusive IPv4 range, e.g. 10.0.0.2 .. 10.0.0.9, that the allocator must not hand out. */
public record Ipv4Range(String start, String end) {}
