package io.proxplane.core.registry;

/** The row a mutation refers to does not exist (any more). */
public final class NotFoundException extends RegistryException {
    public NotFoundException(String objectKind, Object key) {
        super(objectKind + " '" + key + "' does not exist");
    }
}
