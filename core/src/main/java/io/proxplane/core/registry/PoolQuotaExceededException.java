package io.proxplane.core.registry;

/**
 * Writing a container would push its pool over one of its quotas; nothing was written. Carries the
 * numbers so that the engine (and people) can see what is in use and what was asked for.
 */
public final class PoolQuotaExceededException extends RegistryException {
    private final String pool;
    private final String quota;
    private final long limit;
    private final long inUse;
    private final long requested;

    /**
     * @param quota     the quota's name as front doors spell it: maxContainers, maxCores, maxMemoryMb, maxDiskGb
     * @param inUse     what the pool's other containers use (the written container's own usage excluded)
     * @param requested what the written container asks for
     */
    public PoolQuotaExceededException(String pool, String quota, long limit, long inUse, long requested) {
        super("pool '" + pool + "' quota " + quota + " is " + limit + ": " + inUse + " in use by other containers + "
                + requested + " requested = " + (inUse + requested));
        this.pool = pool;
        this.quota = quota;
        this.limit = limit;
        this.inUse = inUse;
        this.requested = requested;
    }

    public String pool() { return pool; }

    public String quota() { return quota; }

    public long limit() { return limit; }

    public long inUse() { return inUse; }

    public long requested() { return requested; }
}
