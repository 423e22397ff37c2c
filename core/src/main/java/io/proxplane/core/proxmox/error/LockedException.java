package io.proxplane.core.proxmox.error;

/**
 * The guest is locked. Two different mechanisms (proxmox-api.md §4.3): a persisted config lock
 * ({@code CT is locked (backup)}, {@link Kind#CONFIG_LOCK}, {@link #lock()} = "backup") that only
 * goes away when its owner or an admin clears it, and a per-guest file lock that a concurrent
 * operation held too long ({@code can't lock file '...' - got timeout}, {@link Kind#FILE_LOCK_TIMEOUT},
 * {@link #lock()} = the lock file). Both are retried by the client, bounded.
 */
public final class LockedException extends ProxmoxException {

    public enum Kind { CONFIG_LOCK, FILE_LOCK_TIMEOUT }

    private final Kind kind;
    private final String lock;

    public LockedException(String method, String path, int httpStatus, String message, Kind kind, String lock) {
        super(method, path, httpStatus, message, null);
        this.kind = kind;
        this.lock = lock;
    }

    public Kind kind() {
        return kind;
    }

    /** The config lock name (e.g. {@code backup}, {@code create}) or the lock file path. */
    public String lock() {
        return lock;
    }
}
