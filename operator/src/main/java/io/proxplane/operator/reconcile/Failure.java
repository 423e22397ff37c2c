package io.proxplane.operator.reconcile;

import io.proxplane.core.engine.EngineException;
import io.proxplane.core.registry.RegistryException;
import io.proxplane.operator.mapping.InvalidSpecException;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed reconcile as the user sees it: the condition reason and message, and when to try again
 * by itself. Pure classification of the exception.
 *
 * @param retry {@code transient}: retried with back-off; otherwise retried after {@code slowRetry}
 *              (someone else may fix the cause: a quota freed, a permission granted) or, for bad
 *              input, only when the spec changes.
 */
public record Failure(String reason, String message, Retry retry) {

    public enum Retry { BACKOFF, SLOW, ON_CHANGE }

    public static Failure of(Throwable e) {
        if (e instanceof InvalidSpecException i) {
            return new Failure(Reasons.INVALID_SPEC, i.field() + ": " + i.reason(), Retry.ON_CHANGE);
        }
        if (e instanceof MissingSecretException m) {
            return new Failure(Reasons.SECRET_NOT_FOUND, m.getMessage(), Retry.SLOW);
        }
        if (e instanceof MissingReferenceException m) {
            return new Failure(Reasons.DEPENDENCY_NOT_FOUND, m.getMessage(), Retry.BACKOFF);
        }
        if (e instanceof EngineException ee) {
            Retry retry = switch (ee.kind()) {
                case PROXMOX_UNAVAILABLE, PROXMOX_LOCKED, CANCELLED -> Retry.BACKOFF;
                case INVALID_SPEC -> Retry.ON_CHANGE;
                // a referenced object or a dependent object may appear / go soon
                case NOT_FOUND, IN_USE -> Retry.BACKOFF;
                default -> Retry.SLOW;
            };
            return new Failure(Reasons.of(ee.kind()), ee.getMessage(), retry);
        }
        if (e instanceof io.proxplane.core.proxmox.error.ProxmoxException) {
            // a client error a converger let through unmapped (safety net; the engine maps them itself)
            if (e instanceof io.proxplane.core.proxmox.error.TransientException) {
                return new Failure(Reasons.PROXMOX_UNAVAILABLE, e.getMessage(), Retry.BACKOFF);
            }
            if (e instanceof io.proxplane.core.proxmox.error.LockedException) {
                return new Failure(Reasons.PROXMOX_LOCKED, e.getMessage(), Retry.BACKOFF);
            }
            return new Failure(Reasons.PROXMOX_ERROR, e.getMessage(), Retry.SLOW);
        }
        if (e instanceof io.proxplane.core.registry.ConstraintViolationException
                || e instanceof io.proxplane.core.registry.alloc.AllocationException) {
            return new Failure(Reasons.CONFLICT, "registry: " + e.getMessage(), Retry.SLOW);
        }
        if (e instanceof io.proxplane.core.registry.OwnershipConflictException) {
            return new Failure(Reasons.OWNERSHIP_CONFLICT, e.getMessage(), Retry.SLOW);
        }
        if (e instanceof RegistryException) {
            return new Failure(Reasons.REGISTRY_UNAVAILABLE, "registry: " + e.getMessage(), Retry.BACKOFF);
        }
        return new Failure(Reasons.INTERNAL_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage(), Retry.BACKOFF);
    }

    /** Exponential back-off from 2 s, capped: attempt 1 -> 2 s, 2 -> 4 s, ... */
    public static Duration backoff(int attempt, Duration cap) {
        long millis = 2000L << Math.min(Math.max(attempt - 1, 0), 16);
        return millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
    }

    public Optional<Duration> after(int attempt, Duration cap, Duration slow) {
        return switch (retry) {
            case BACKOFF -> Optional.of(backoff(attempt, cap));
            case SLOW -> Optional.of(slow);
            case ON_CHANGE -> Optional.empty();
        };
    }
}
