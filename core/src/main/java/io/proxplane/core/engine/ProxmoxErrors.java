package io.proxplane.core.engine;

import io.proxplane.core.proxmox.Cancellation;
import io.proxplane.core.proxmox.error.AlreadyExistsException;
import io.proxplane.core.proxmox.error.AuthenticationFailedException;
import io.proxplane.core.proxmox.error.CancelledException;
import io.proxplane.core.proxmox.error.NotFoundException;
import io.proxplane.core.proxmox.error.LockedException;
import io.proxplane.core.proxmox.error.PermissionDeniedException;
import io.proxplane.core.proxmox.error.ProxmoxException;
import io.proxplane.core.proxmox.error.TaskFailedException;
import io.proxplane.core.proxmox.error.TaskTimeoutException;
import io.proxplane.core.proxmox.error.TransientException;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Maps client exceptions to {@link EngineException}s that say what the user must do, and retries
 * the kinds where waiting can help (locked, transient) with bounded exponential back-off.
 */
final class ProxmoxErrors {
    private final int attempts;
    private final Duration backoff;

    ProxmoxErrors(EngineSettings settings) {
        this.attempts = settings.attempts();
        this.backoff = settings.backoff();
    }

    /** Runs {@code step}, retrying locked/transient failures; the step itself must be idempotent. */
    <T> T retrying(String what, Supplier<T> step) {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.get();
            } catch (LockedException | TransientException e) {
                if (e instanceof TransientException t && t.mayHaveReachedServer()) {
                    throw map(what, e); // the caller must look at the real state before repeating
                }
                if (attempt >= attempts) {
                    throw map(what, e);
                }
                sleep(backoff.multipliedBy(1L << Math.min(attempt - 1, 6)));
            } catch (ProxmoxException e) {
                throw map(what, e);
            }
        }
    }

    /** True when Proxmox said the object is not there (the guest, pool or user is gone). */
    static boolean isNotFound(EngineException e) {
        return e.proxmoxCause(NotFoundException.class).isPresent();
    }

    /** True when Proxmox said the object exists already (a create that raced or was repeated). */
    static boolean isAlreadyExists(EngineException e) {
        return e.proxmoxCause(AlreadyExistsException.class).isPresent();
    }

    /**
     * The engine error for a failed Proxmox call: the kind says what the user can do, and the
     * client's exception stays the cause so callers can still ask what Proxmox answered
     * ({@link #isNotFound}, {@link EngineException#proxmoxCause}).
     */
    static EngineException map(String what, RuntimeException e) {
        if (e instanceof EngineException ee) {
            return ee;
        }
        if (e instanceof CancelledException c) {
            return cancelled(what, c);
        }
        if (!(e instanceof ProxmoxException)) {
            return EngineErrors.translate(e);
        }
        String msg = what + ": " + e.getMessage();
        if (e instanceof PermissionDeniedException) {
            return new EngineException(EngineException.Kind.PROXMOX_PERMISSION, msg,
                    "grant the proxplane API token the missing privilege on that path in Proxmox", e);
        }
        if (e instanceof AuthenticationFailedException) {
            return new EngineException(EngineException.Kind.PROXMOX_AUTHENTICATION, msg,
                    "check the Proxmox API token the site's credentials reference points to", e);
        }
        if (e instanceof LockedException) {
            return new EngineException(EngineException.Kind.PROXMOX_LOCKED, msg,
                    "the guest is locked by another operation (backup, snapshot); the engine retries later, "
                            + "or clear a stale lock with 'pct unlock'", e);
        }
        if (e instanceof TransientException) {
            return new EngineException(EngineException.Kind.PROXMOX_UNAVAILABLE, msg,
                    "Proxmox is unreachable or overloaded; the engine retries, check the endpoint if it persists", e);
        }
        if (e instanceof TaskFailedException || e instanceof TaskTimeoutException) {
            return new EngineException(EngineException.Kind.PROXMOX_TASK_FAILED, msg,
                    "read the task log in Proxmox; fix the cause (storage, image, node) and apply again", e);
        }
        if (e instanceof NotFoundException) {
            return new EngineException(EngineException.Kind.PROXMOX_ERROR, msg,
                    "Proxmox no longer has the object (removed by hand?); apply again and the engine looks again", e);
        }
        if (e instanceof AlreadyExistsException) {
            return new EngineException(EngineException.Kind.PROXMOX_ERROR, msg,
                    "Proxmox already has an object of that name or id; apply again and the engine adopts or re-reserves", e);
        }
        return new EngineException(EngineException.Kind.PROXMOX_ERROR, msg,
                "Proxmox refused the request; correct the spec or the cluster and apply again", e);
    }

    /** The step, then the canceller's reason (which says who interrupted). */
    static EngineException cancelled(String what, CancelledException e) {
        return new EngineException(EngineException.Kind.CANCELLED, what + ": " + e.proxmoxMessage(),
                "the next apply resumes or rolls back", e);
    }

    /** A back-off sleep; returns early with {@code CANCELLED} when the operation is cancelled. */
    static void sleep(Duration d) {
        try {
            Cancellation.current().sleep(d);
        } catch (CancelledException e) {
            throw cancelled("waiting to retry", e);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new EngineException(EngineException.Kind.INTERRUPTED, "interrupted while waiting to retry",
                    "the next converge continues where this one stopped", ie);
        }
    }
}
