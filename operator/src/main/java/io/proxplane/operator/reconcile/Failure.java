package io.proxplane.operator.reconcile;

import io.proxplane.core.engine.EngineErrors;
import io.proxplane.core.engine.EngineException;
import io.proxplane.core.engine.EngineException.Kind;
import io.proxplane.core.registry.ClaimConflictException;
import io.proxplane.operator.mapping.InvalidSpecException;
import io.proxplane.operator.mapping.SpecMapper;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * A failed reconcile as the user sees it: the condition reason and message, and when to try again
 * by itself. Pure: the operator's own failures (bad custom resource, missing Secret or reference)
 * are classified here; everything from core goes through core's one translation
 * ({@link EngineErrors#translate}) and then through {@link #BY_KIND}.
 *
 * @param retry {@code transient}: retried with back-off; otherwise retried after {@code slowRetry}
 *              (someone else may fix the cause: a quota freed, a permission granted) or, for bad
 *              input, only when the spec changes.
 */
public record Failure(String reason, String message, Retry retry) {

    public enum Retry { BACKOFF, SLOW, ON_CHANGE }

    /** One row of the table: the Ready condition's reason and when to reconcile again. */
    record Rule(String reason, Retry retry) {}

    /** The one table from the engine's error kinds to condition reasons and requeue timing. */
    static final Map<Kind, Rule> BY_KIND = new EnumMap<>(Map.ofEntries(
            Map.entry(Kind.INVALID_SPEC, new Rule(Reasons.INVALID_SPEC, Retry.ON_CHANGE)),
            // a referenced object may be created soon, a dependent one deleted soon
            Map.entry(Kind.NOT_FOUND, new Rule(Reasons.DEPENDENCY_NOT_FOUND, Retry.BACKOFF)),
            Map.entry(Kind.IN_USE, new Rule(Reasons.IN_USE, Retry.BACKOFF)),
            // someone must act: free the value, hand over the object, raise the quota, fix Proxmox
            Map.entry(Kind.CONFLICT, new Rule(Reasons.CONFLICT, Retry.SLOW)),
            Map.entry(Kind.OWNERSHIP, new Rule(Reasons.OWNERSHIP_CONFLICT, Retry.SLOW)),
            Map.entry(Kind.QUOTA, new Rule(Reasons.QUOTA_EXCEEDED, Retry.SLOW)),
            Map.entry(Kind.PLACEMENT, new Rule(Reasons.PLACEMENT_FAILED, Retry.SLOW)),
            Map.entry(Kind.PROXMOX_PERMISSION, new Rule(Reasons.PROXMOX_PERMISSION_DENIED, Retry.SLOW)),
            Map.entry(Kind.PROXMOX_AUTHENTICATION, new Rule(Reasons.PROXMOX_AUTHENTICATION_FAILED, Retry.SLOW)),
            Map.entry(Kind.PROXMOX_TASK_FAILED, new Rule(Reasons.PROXMOX_TASK_FAILED, Retry.SLOW)),
            Map.entry(Kind.PROXMOX_ERROR, new Rule(Reasons.PROXMOX_ERROR, Retry.SLOW)),
            // waiting helps
            Map.entry(Kind.PROXMOX_LOCKED, new Rule(Reasons.PROXMOX_LOCKED, Retry.BACKOFF)),
            Map.entry(Kind.PROXMOX_UNAVAILABLE, new Rule(Reasons.PROXMOX_UNAVAILABLE, Retry.BACKOFF)),
            Map.entry(Kind.REGISTRY_UNAVAILABLE, new Rule(Reasons.REGISTRY_UNAVAILABLE, Retry.BACKOFF)),
            Map.entry(Kind.INTERRUPTED, new Rule(Reasons.INTERRUPTED, Retry.BACKOFF)),
            Map.entry(Kind.CANCELLED, new Rule(Reasons.CANCELLED, Retry.BACKOFF)),
            // a bug: logged with its stack trace; retried in case it depends on timing
            Map.entry(Kind.INTERNAL, new Rule(Reasons.INTERNAL_ERROR, Retry.BACKOFF))));

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
        EngineException ee = EngineErrors.translate(e instanceof RuntimeException r ? r : new IllegalStateException(e));
        if (ee.kind() == Kind.CONFLICT && ee.getCause() instanceof ClaimConflictException) {
            // the object of this name belongs to another custom resource (or predates this one)
            return new Failure(Reasons.CLAIM_CONFLICT, ee.summary() + " — set the annotation " + Claims.ADOPT_ANNOTATION
                    + ": \"true\" on this resource to take it over, or choose another name", Retry.SLOW);
        }
        Rule rule = BY_KIND.get(ee.kind());
        String message = ee.kind() == Kind.INVALID_SPEC && ee.field() != null
                // the engine's field path as the user wrote it in the custom resource
                ? SpecMapper.path(ee.field(), "metadata.name") + ": " + ee.reason()
                : ee.getMessage();
        return new Failure(rule.reason(), message, rule.retry());
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
