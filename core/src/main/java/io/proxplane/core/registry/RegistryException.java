package io.proxplane.core.registry;

/** A registry operation failed; the message says which object and why. */
public class RegistryException extends RuntimeException {
    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
