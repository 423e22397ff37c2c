package io.proxplane.operator.reconcile;

/** A referenced custom resource (e.g. the Container of a ContainerService) does not exist (yet). */
public final class MissingReferenceException extends RuntimeException {
    public MissingReferenceException(String message) {
        super(message);
    }
}
