package io.proxplane.core.registry;

/**
 * One row changed: {@code table} (e.g. "containers"), {@code op} ("insert", "update" or "delete"),
 * the row id and the revision of the transaction that changed it.
 */
public record RegistryChange(String table, String op, long id, long revision) {}
