package io.proxplane.core.registry;

import java.util.Optional;

/**
 * What a pool's containers use, and the pure rule deciding whether one more container (or a new size
 * for one of them) fits. The caller passes the usage of the pool's <em>other</em> containers, so a
 * resize counts the container once, at its new size.
 */
public record PoolUsage(long containers, long cores, long memoryMb, long diskGb) {
    public static final PoolUsage NONE = new PoolUsage(0, 0, 0, 0);

    /**
     * The first quota of {@code pool} that {@code requested} on top of this usage would exceed, checked in
     * the order containers, cores, memory, disk; empty when it fits. A null quota is unlimited.
     */
    public Optional<PoolQuotaExceededException> refusal(Pool pool, Resources requested) {
        PoolSpec q = pool.spec();
        if (exceeds(q.maxContainers() == null ? null : q.maxContainers().longValue(), containers, 1)) {
            return Optional.of(new PoolQuotaExceededException(pool.name(), "maxContainers", q.maxContainers(), containers, 1));
        }
        if (exceeds(q.maxCores() == null ? null : q.maxCores().longValue(), cores, requested.cores())) {
            return Optional.of(new PoolQuotaExceededException(pool.name(), "maxCores", q.maxCores(), cores, requested.cores()));
        }
        if (exceeds(q.maxMemoryMb(), memoryMb, requested.memoryMb())) {
            return Optional.of(new PoolQuotaExceededException(pool.name(), "maxMemoryMb", q.maxMemoryMb(), memoryMb,
                    requested.memoryMb()));
        }
        if (exceeds(q.maxDiskGb(), diskGb, requested.diskGb())) {
            return Optional.of(new PoolQuotaExceededException(pool.name(), "maxDiskGb", q.maxDiskGb(), diskGb,
                    requested.diskGb()));
        }
        return Optional.empty();
    }

    private static boolean exceeds(Long limit, long inUse, long requested) {
        return limit != null && inUse + requested > limit;
    }
}
