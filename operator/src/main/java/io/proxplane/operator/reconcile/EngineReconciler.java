package io.proxplane.operator.reconcile;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.proxplane.core.engine.EngineException;
import io.proxplane.operator.api.ProxplaneStatus;
import io.proxplane.operator.mapping.InvalidSpecException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole Kubernetes side of a kind, so each kind's reconciler is only "map spec, call engine,
 * map result": status with {@code observedGeneration} and a {@code Ready} condition whose reason
 * comes from the failure kind, events on changes and on new failures, retry timing by failure
 * kind, and deletion through the engine before the finalizer goes.
 *
 * <p>Failures are turned into status here rather than thrown to JOSDK: the condition must show
 * the engine's message even when JOSDK's retries are exhausted, and the retry period depends on
 * whether waiting can help (Proxmox down) or someone must act (quota, bad input).
 */
public abstract class EngineReconciler<R extends CustomResource<?, S>, S extends ProxplaneStatus>
        implements Reconciler<R>, Cleaner<R> {
    private static final Logger LOG = LoggerFactory.getLogger(EngineReconciler.class);

    protected final OperatorContext op;
    private final Map<ResourceID, Integer> failures = new ConcurrentHashMap<>();

    protected EngineReconciler(OperatorContext op) {
        this.op = op;
    }

    /** Maps the spec, calls the engine, maps the result. Throws on any failure. */
    protected abstract Applied<S> apply(R resource, Context<R> context);

    /** Deletes through the engine; returns the actions taken. Throws when it cannot (yet). */
    protected abstract List<String> delete(R resource, Context<R> context);

    protected abstract S newStatus();

    protected abstract R newResource();

    /** When to reconcile again after a success (the Site's bulk poll); empty: on events only. */
    protected Optional<Duration> periodic(R resource) {
        return Optional.empty();
    }

    @Override
    public UpdateControl<R> reconcile(R resource, Context<R> context) {
        String kind = resource.getKind();
        String before = json(resource.getStatus());
        Long generation = resource.getMetadata().getGeneration();
        ResourceID id = ResourceID.fromResource(resource);
        S next;
        Optional<Duration> again;
        try {
            Applied<S> applied;
            // One cancellable engine operation per reconcile: shutdown cancels it (Main).
            try (var operation = op.engine().operation()) {
                applied = apply(resource, context);
            }
            failures.remove(id);
            next = applied.status();
            var previous = resource.getStatus() == null ? null : resource.getStatus().conditions;
            boolean wasReady = isReady(resource.getStatus());
            next.conditions = Conditions.set(previous, Reasons.READY, true, Reasons.RECONCILED, applied.message(), generation,
                    op.clock());
            for (Applied.Extra c : applied.conditions()) {
                next.conditions = Conditions.set(next.conditions, c.type(), c.status(), c.reason(), c.message(), generation,
                        op.clock());
            }
            if (!applied.actions().isEmpty()) {
                op.events().normal(resource, "Applied", String.join("; ", applied.actions()));
            } else if (!wasReady) {
                op.events().normal(resource, Reasons.READY, applied.message());
            }
            count(kind, "ready");
            again = periodic(resource);
            if (applied.recheck().isPresent() && (again.isEmpty() || applied.recheck().get().compareTo(again.get()) < 0)) {
                again = applied.recheck();
            }
        } catch (RuntimeException e) {
            Failure f = Failure.of(e);
            int attempt = failures.merge(id, 1, Integer::sum);
            logFailure(resource, f, e);
            next = resource.getStatus() != null ? resource.getStatus() : newStatus();
            var old = Conditions.find(next.conditions, Reasons.READY);
            next.conditions = Conditions.set(next.conditions, Reasons.READY, false, f.reason(), f.message(), generation, op.clock());
            if (old == null || !"False".equals(old.getStatus()) || !f.reason().equals(old.getReason())) {
                op.events().warning(resource, f.reason(), f.message());
            }
            count(kind, f.reason());
            again = f.after(attempt, op.retryCap(), op.slowRetry());
            Optional<Duration> periodic = periodic(resource);
            if (periodic.isPresent() && (again.isEmpty() || periodic.get().compareTo(again.get()) < 0)) again = periodic;
        }
        next.observedGeneration = generation;
        UpdateControl<R> control = before.equals(json(next)) ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(statusOnly(resource, next));
        again.ifPresent(d -> control.rescheduleAfter(d.toMillis()));
        return control;
    }

    @Override
    public DeleteControl cleanup(R resource, Context<R> context) {
        ResourceID id = ResourceID.fromResource(resource);
        try {
            List<String> actions;
            try (var operation = op.engine().operation()) {
                actions = delete(resource, context);
            }
            failures.remove(id);
            if (!actions.isEmpty()) op.events().normal(resource, "Deleted", String.join("; ", actions));
            count(resource.getKind(), "deleted");
            return DeleteControl.defaultDelete();
        } catch (RuntimeException e) {
            if (e instanceof EngineException ee && ee.kind() == EngineException.Kind.CONFLICT
                    && ee.getCause() instanceof io.proxplane.core.registry.ClaimConflictException) {
                // the object belongs to another custom resource (this one never got it): leave it alone
                op.events().warning(resource, Reasons.CLAIM_CONFLICT, "not deleted from the registry: " + e.getMessage());
                return DeleteControl.defaultDelete();
            }
            if (e instanceof EngineException ee && ee.kind() == EngineException.Kind.OWNERSHIP) {
                // the registry object belongs to someone else: nothing of ours to delete
                op.events().warning(resource, Reasons.OWNERSHIP_CONFLICT, "not deleted from the registry: " + e.getMessage());
                return DeleteControl.defaultDelete();
            }
            if (e instanceof EngineException ee && ee.kind() == EngineException.Kind.NOT_FOUND
                    || e instanceof InvalidSpecException) {
                // its site (or its keys) never existed, so nothing was made under it
                return DeleteControl.defaultDelete();
            }
            Failure f = Failure.of(e);
            int attempt = failures.merge(id, 1, Integer::sum);
            logFailure(resource, f, e);
            op.events().warning(resource, Reasons.DELETION_BLOCKED, f.reason() + ": " + f.message());
            patchDeletionStatus(resource, context, f);
            count(resource.getKind(), "deletion-blocked");
            Duration after = f.retry() == Failure.Retry.BACKOFF ? Failure.backoff(attempt, op.retryCap()) : op.slowRetry();
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(after.toMillis());
        }
    }

    private void patchDeletionStatus(R resource, Context<R> context, Failure f) {
        S status = resource.getStatus() != null ? resource.getStatus() : newStatus();
        status.conditions = Conditions.set(status.conditions, Reasons.READY, false, Reasons.DELETION_BLOCKED,
                f.reason() + ": " + f.message(), resource.getMetadata().getGeneration(), op.clock());
        try {
            // replace the status of the latest version (optimistic lock on its resourceVersion); JOSDK
            // does not patch status for a resource being deleted
            R latest = context.getClient().resource(resource).get();
            if (latest == null) return;
            latest.setStatus(status);
            context.getClient().resource(latest).updateStatus();
        } catch (RuntimeException e) {
            LOG.debug("could not patch status of {} {} while deleting: {}", resource.getKind(), resource.getMetadata().getName(),
                    e.getMessage());
        }
    }

    /** A fresh object with only identity and status: the status patch then cannot touch the spec. */
    protected R statusOnly(R resource, S status) {
        R fresh = newResource();
        fresh.setMetadata(new ObjectMetaBuilder().withName(resource.getMetadata().getName())
                .withNamespace(resource.getMetadata().getNamespace()).build());
        fresh.setStatus(status);
        return fresh;
    }

    static boolean isReady(ProxplaneStatus status) {
        var c = status == null ? null : Conditions.find(status.conditions, Reasons.READY);
        return c != null && "True".equals(c.getStatus());
    }

    private void logFailure(R resource, Failure f, RuntimeException e) {
        String what = resource.getKind() + " " + (resource.getMetadata().getNamespace() == null ? ""
                : resource.getMetadata().getNamespace() + "/") + resource.getMetadata().getName();
        if (f.reason().equals(Reasons.INTERNAL_ERROR)) {
            LOG.error("{}: {}", what, f.message(), e);
        } else {
            LOG.warn("{}: {} {}", what, f.reason(), f.message());
        }
    }

    private void count(String kind, String result) {
        Counter.builder("proxplane.operator.reconciles").description("reconciles by kind and outcome (Ready reason)")
                .tag("kind", kind).tag("result", result).register(op.meters()).increment();
    }

    private static String json(Object status) {
        return status == null ? "null" : Serialization.asJson(status);
    }
}
