package io.proxplane.operator.reconcile;

import io.proxplane.core.engine.EngineException;

/**
 * The {@code Ready} condition's reasons. Stable API: dashboards, alerts and {@code kubectl wait}
 * scripts key on them. Failure reasons follow the engine's {@link EngineException.Kind}.
 */
public final class Reasons {
    public static final String READY = "Ready";

    public static final String RECONCILED = "Reconciled";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String SECRET_NOT_FOUND = "SecretNotFound";
    public static final String DEPENDENCY_NOT_FOUND = "DependencyNotFound";
    public static final String OWNERSHIP_CONFLICT = "OwnershipConflict";
    public static final String QUOTA_EXCEEDED = "QuotaExceeded";
    public static final String PLACEMENT_FAILED = "PlacementFailed";
    public static final String CONFLICT = "Conflict";
    public static final String IN_USE = "InUse";
    public static final String PROXMOX_PERMISSION_DENIED = "ProxmoxPermissionDenied";
    public static final String PROXMOX_AUTHENTICATION_FAILED = "ProxmoxAuthenticationFailed";
    public static final String PROXMOX_LOCKED = "ProxmoxLocked";
    public static final String PROXMOX_TASK_FAILED = "ProxmoxTaskFailed";
    public static final String PROXMOX_UNAVAILABLE = "ProxmoxUnavailable";
    public static final String PROXMOX_ERROR = "ProxmoxError";
    /** The operator was shutting down while this reconcile waited on Proxmox; the next reconcile resumes. */
    public static final String CANCELLED = "Cancelled";
    public static final String REGISTRY_UNAVAILABLE = "RegistryUnavailable";
    public static final String INTERNAL_ERROR = "InternalError";
    public static final String DELETION_BLOCKED = "DeletionBlocked";

    private Reasons() {
    }

    public static String of(EngineException.Kind kind) {
        return switch (kind) {
            case INVALID_SPEC -> INVALID_SPEC;
            case NOT_FOUND -> DEPENDENCY_NOT_FOUND;
            case OWNERSHIP -> OWNERSHIP_CONFLICT;
            case QUOTA -> QUOTA_EXCEEDED;
            case PLACEMENT -> PLACEMENT_FAILED;
            case CONFLICT -> CONFLICT;
            case IN_USE -> IN_USE;
            case PROXMOX_PERMISSION -> PROXMOX_PERMISSION_DENIED;
            case PROXMOX_AUTHENTICATION -> PROXMOX_AUTHENTICATION_FAILED;
            case PROXMOX_LOCKED -> PROXMOX_LOCKED;
            case PROXMOX_TASK_FAILED -> PROXMOX_TASK_FAILED;
            case PROXMOX_UNAVAILABLE -> PROXMOX_UNAVAILABLE;
            case PROXMOX_ERROR -> PROXMOX_ERROR;
            case CANCELLED -> CANCELLED;
        };
    }
}
