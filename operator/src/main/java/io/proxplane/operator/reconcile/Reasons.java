package io.proxplane.operator.reconcile;

import io.proxplane.core.engine.EngineException;

/**
 * The {@code Ready} condition's reasons. Stable API: dashboards, alerts and {@code kubectl wait}
 * scripts key on them. Failure reasons follow the engine's {@link EngineException.Kind} through
 * {@link Failure#BY_KIND}.
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
    /** The object of this name exists and belongs to another custom resource (a claim conflict). */
    public static final String CLAIM_CONFLICT = "ClaimConflict";
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
    public static final String INTERRUPTED = "Interrupted";
    public static final String INTERNAL_ERROR = "InternalError";
    public static final String DELETION_BLOCKED = "DeletionBlocked";

    private Reasons() {
    }
}
