package io.proxplane.core.registry;

public record Membership(long id, long userId, long groupId, RowMeta meta) {}
