package io.proxplane.operator.reconcile;

/** A referenced Secret or key does not exist (yet); the Secret's creation requeues the resource. */
public final class MissingSecretException extends RuntimeException {
    public MissingSecretException(String message) {
        super(message);
    }
}
