package io.proxplane.core.registry;

/** Container sizing as stored in containers.resources (jsonb, snake_case keys). */
public record Resources(int cores, long memoryMb, long swapMb, long diskGb) {}
