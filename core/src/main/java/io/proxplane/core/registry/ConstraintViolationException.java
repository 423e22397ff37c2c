package io.proxplane.core.registry;

/**
 * The database refused a row: a CHECK, UNIQUE or foreign-key constraint. The constraint name
 * (e.g. {@code sites_gateway_in_network}) names the field and the rule.
 */
public final class ConstraintViolationException extends RegistryException {
    private final String constraint;

    public ConstraintViolationException(String message, String constraint, Throwable cause) {
        super(message, cause);
        this.constraint = constraint;
    }

    /** The violated constraint's name, or null when the driver did not report one. */
    public String constraint() { return constraint; }
}
