package io.proxplane.core.engine;

import io.proxplane.core.proxmox.error.ProxmoxException;

import java.time.Duration;
import java.util.Optional;

/**
 * The only exception the engine's public API throws. {@link #kind()} is stable for front doors
 * (condition reasons, diagnostics), the message is for people (never SQL, driver or stack text;
 * the original failure stays the cause, for logs), {@link #userAction()} says what to do about it
 * and {@link #retryable()} / {@link #retryAfter()} whether waiting alone can help.
 * {@link EngineErrors#translate} makes one from anything core can fail with.
 */
public class EngineException extends RuntimeException {

    /** What a caller acts on; each kind knows whether trying again unchanged can succeed. */
    public enum Kind {
        /** A value the user gave is refused; {@link #field()} and {@link #reason()} name it. */
        INVALID_SPEC(null),
        /** A referenced object (site, pool, domain, group, user, container) does not exist. */
        NOT_FOUND(null),
        /** A name, host name, port or id is taken; {@link #holder()} names who holds it when known. */
        CONFLICT(null),
        /** The object is managed by another front door or resource; {@link #holder()} names it. */
        OWNERSHIP(null),
        QUOTA(null),
        /** Deleting something others still use (a site with containers, a pool with members). */
        IN_USE(null),
        /** No node can take the container (GPU, requested node offline, nothing online). */
        PLACEMENT(null),
        PROXMOX_PERMISSION(null),
        PROXMOX_AUTHENTICATION(null),
        PROXMOX_LOCKED(Duration.ofSeconds(10)),
        PROXMOX_TASK_FAILED(null),
        PROXMOX_UNAVAILABLE(Duration.ofSeconds(5)),
        /** Proxmox refused the request otherwise; {@link #proxmoxCause} tells what it said (not found, exists, ...). */
        PROXMOX_ERROR(null),
        REGISTRY_UNAVAILABLE(Duration.ofSeconds(5)),
        /** The calling thread was interrupted (shutdown); the next converge picks up where this stopped. */
        INTERRUPTED(Duration.ofSeconds(1)),
        /** The operation was cancelled (front door interrupted or shutting down); the next apply resumes or rolls back. */
        CANCELLED(Duration.ofSeconds(1)),
        /** A bug: an unexpected failure inside the engine. The cause holds the details for the log. */
        INTERNAL(null);

        private final Duration retryAfter;

        Kind(Duration retryAfter) {
            this.retryAfter = retryAfter;
        }

        /** True when trying the same converge again later may succeed without anyone changing anything. */
        public boolean retryable() {
            return retryAfter != null;
        }

        /** A sensible first delay before trying again; empty when waiting alone does not help. */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    private final Kind kind;
    private final String summary;
    private final String userAction;
    private final String field;
    private final String reason;
    private final String holder;

    public EngineException(Kind kind, String message, String userAction) {
        this(kind, message, userAction, null, null, null, null);
    }

    public EngineException(Kind kind, String message, String userAction, Throwable cause) {
        this(kind, message, userAction, null, null, null, cause);
    }

    private EngineException(Kind kind, String message, String userAction, String field, String reason, String holder,
                            Throwable cause) {
        super(message + (userAction == null ? "" : " — " + userAction), cause);
        this.kind = kind;
        this.summary = message;
        this.userAction = userAction;
        this.field = field;
        this.reason = reason;
        this.holder = holder;
    }

    /** A refused value: {@code field} is the spec path as the engine's spec records name it ({@code env.FOO}). */
    public static EngineException invalidSpec(String field, String reason) {
        return invalidSpec(field, reason, null);
    }

    static EngineException invalidSpec(String field, String reason, Throwable cause) {
        return new EngineException(Kind.INVALID_SPEC, (field == null ? "" : field + ": ") + reason,
                "correct the value and apply again", field, reason, null, cause);
    }

    /** A reference to an object that does not exist; {@code field} is the spec path of the reference. */
    public static EngineException missingReference(String field, String message, String userAction) {
        return new EngineException(Kind.NOT_FOUND, field + ": " + message, userAction, field, message, null, null);
    }

    /** A value of one field that another object holds; {@code holder} names it. */
    public static EngineException takenValue(String field, String message, String holder, String userAction) {
        return new EngineException(Kind.CONFLICT, field + ": " + message, userAction, field, message, holder, null);
    }

    /** A value taken by someone else; {@code holder} names who holds it, null when unknown. */
    public static EngineException conflict(String message, String holder, String userAction, Throwable cause) {
        return new EngineException(Kind.CONFLICT, message, userAction, null, null, holder, cause);
    }

    static EngineException ownership(String message, String holder, String userAction, Throwable cause) {
        return new EngineException(Kind.OWNERSHIP, message, userAction, null, null, holder, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** What happened, without the user action. */
    public String summary() {
        return summary;
    }

    public String userAction() {
        return userAction;
    }

    /** For {@code INVALID_SPEC}: the spec field path ({@code env.FOO}, {@code sshKeys[1]}); null otherwise or when unknown. */
    public String field() {
        return field;
    }

    /** For {@code INVALID_SPEC}: why the value is refused, without the field; null otherwise. */
    public String reason() {
        return reason;
    }

    /** For {@code CONFLICT} and {@code OWNERSHIP}: who holds the value or the object, when known; else null. */
    public String holder() {
        return holder;
    }

    /** True when trying the same converge again later may succeed without the user changing anything. */
    public boolean retryable() {
        return kind.retryable();
    }

    public Optional<Duration> retryAfter() {
        return kind.retryAfter();
    }

    /**
     * The Proxmox failure behind this one, if it is of {@code type} (e.g. {@code NotFoundException}
     * for "the guest is gone"): the engine keeps the client's exception as the cause, possibly
     * under further engine exceptions.
     */
    public <T extends ProxmoxException> Optional<T> proxmoxCause(Class<T> type) {
        for (Throwable t = getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
            if (t instanceof ProxmoxException) {
                return Optional.empty(); // the first Proxmox failure is the one that happened
            }
        }
        return Optional.empty();
    }
}
