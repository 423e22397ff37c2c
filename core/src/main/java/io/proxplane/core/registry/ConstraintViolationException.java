package io.proxplane.core.registry;

import java.util.Map;

/**
 * The database refused a row: a CHECK, UNIQUE or foreign-key constraint. The constraint name
 * (e.g. {@code sites_gateway_in_network}) names the field and the rule. The message holds the
 * database's text (for logs); {@link #rule()}, {@link #table()} and {@link #key()} let the engine
 * say the same thing to a person without SQL.
 */
public final class ConstraintViolationException extends RegistryException {

    /** Which kind of rule was broken (from the SQLSTATE and, for foreign keys, the direction). */
    public enum Rule { UNIQUE, CHECK, NOT_NULL, REFERENCE_MISSING, STILL_REFERENCED, OTHER }

    private final String constraint;
    private final Rule rule;
    private final String table;
    private final Map<String, String> key;

    public ConstraintViolationException(String message, String constraint, Throwable cause) {
        this(message, constraint, Rule.OTHER, null, Map.of(), cause);
    }

    public ConstraintViolationException(String message, String constraint, Rule rule, String table, Map<String, String> key,
                                        Throwable cause) {
        super(message, cause);
        this.constraint = constraint;
        this.rule = rule == null ? Rule.OTHER : rule;
        this.table = table;
        this.key = key == null ? Map.of() : Map.copyOf(key);
    }

    /** The violated constraint's name, or null when the driver did not report one. */
    public String constraint() { return constraint; }

    public Rule rule() { return rule; }

    /** The table the statement wrote, or null when the driver did not report it. */
    public String table() { return table; }

    /** Column -> value of the offending key as the database reported it ({@code hostname -> web}); empty when unknown. */
    public Map<String, String> key() { return key; }
}
