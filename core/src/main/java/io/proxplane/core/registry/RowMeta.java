package io.proxplane.core.registry;

import java.time.Instant;

/**
 * Bookkeeping every managed row carries: its manager, the revision of its last change, times, and
 * the front-door resource holding it ({@code claimedBy}, null while unclaimed; see {@link Claim}).
 */
public record RowMeta(String managedBy, long revision, Instant createdAt, Instant updatedAt, String claimedBy) {

    /** An unclaimed row (tests, snapshots that do not care about claims). */
    public RowMeta(String managedBy, long revision, Instant createdAt, Instant updatedAt) {
        this(managedBy, revision, createdAt, updatedAt, null);
    }
}
