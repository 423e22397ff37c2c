package io.proxplane.core.registry;

import java.time.Instant;

/** Bookkeeping every managed row carries: its manager, the revision of its last change, and times. */
public record RowMeta(String managedBy, long revision, Instant createdAt, Instant updatedAt) {}
