package io.proxplane.core.engine;

/** A container would push its pool over a quota; carries the numbers. */
public final class QuotaExceededException extends EngineException {
    private final String pool;
    private final String quota;
    private final long limit;
    private final long wouldUse;

    public QuotaExceededException(String pool, String quota, long limit, long inUse, long requested) {
        super(Kind.QUOTA, "pool '" + pool + "' quota " + quota + " is " + limit + ": " + inUse
                        + " in use by other containers + " + requested + " requested = " + (inUse + requested),
                "shrink the container, free capacity in pool '" + pool + "' or raise its " + quota + " quota");
        this.pool = pool;
        this.quota = quota;
        this.limit = limit;
        this.wouldUse = inUse + requested;
    }

    public String pool() { return pool; }

    public String quota() { return quota; }

    public long limit() { return limit; }

    public long wouldUse() { return wouldUse; }
}
