package io.proxplane.core.engine;

/**
 * A converge step the engine refuses or cannot finish. {@link #kind()} is stable for front doors
 * (condition reasons, diagnostics); {@link #userAction()} says what the user must do about it.
 */
public class EngineException extends RuntimeException {

    public enum Kind {
        INVALID_SPEC, NOT_FOUND, OWNERSHIP, QUOTA, PLACEMENT, CONFLICT, IN_USE,
        PROXMOX_PERMISSION, PROXMOX_AUTHENTICATION, PROXMOX_LOCKED, PROXMOX_TASK_FAILED, PROXMOX_UNAVAILABLE, PROXMOX_ERROR,
        /** The operation was cancelled (front door interrupted or shutting down); the next apply resumes or rolls back. */
        CANCELLED
    }

    private final Kind kind;
    private final String userAction;

    public EngineException(Kind kind, String message, String userAction) {
        this(kind, message, userAction, null);
    }

    public EngineException(Kind kind, String message, String userAction, Throwable cause) {
        super(message + (userAction == null ? "" : " — " + userAction), cause);
        this.kind = kind;
        this.userAction = userAction;
    }

    public Kind kind() {
        return kind;
    }

    public String userAction() {
        return userAction;
    }

    /** True when trying the same converge again later may succeed without the user changing anything. */
    public boolean retryable() {
        return kind == Kind.PROXMOX_LOCKED || kind == Kind.PROXMOX_UNAVAILABLE || kind == Kind.CANCELLED;
    }
}
