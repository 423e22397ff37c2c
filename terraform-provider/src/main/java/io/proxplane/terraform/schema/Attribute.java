package io.proxplane.terraform.schema;

import io.proxplane.terraform.value.TfType;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One attribute of a block. Exactly one of required / optional / computed-only, as Terraform core
 * checks (configschema internal_validate): required excludes optional and computed.
 */
public record Attribute(String name, TfType type, Mode mode, boolean sensitive, boolean writeOnly, String description) {

    static final Pattern NAME = Pattern.compile("[a-z0-9_]+");

    public enum Mode {
        REQUIRED, OPTIONAL, OPTIONAL_COMPUTED, COMPUTED;

        public boolean required() {
            return this == REQUIRED;
        }

        public boolean optional() {
            return this == OPTIONAL || this == OPTIONAL_COMPUTED;
        }

        public boolean computed() {
            return this == COMPUTED || this == OPTIONAL_COMPUTED;
        }
    }

    public Attribute {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("attribute name '" + name + "': only a-z, 0-9 and _ allowed");
        }
        Objects.requireNonNull(type, "type of " + name);
        Objects.requireNonNull(mode, "mode of " + name);
        description = description == null ? "" : description;
        if (writeOnly && mode.computed()) {
            // Terraform never stores a write-only value, so nothing can be computed for it
            throw new IllegalArgumentException("attribute '" + name + "': write-only attributes cannot be computed");
        }
    }

    public static Attribute required(String name, TfType type, String description) {
        return new Attribute(name, type, Mode.REQUIRED, false, false, description);
    }

    public static Attribute optional(String name, TfType type, String description) {
        return new Attribute(name, type, Mode.OPTIONAL, false, false, description);
    }

    public static Attribute computed(String name, TfType type, String description) {
        return new Attribute(name, type, Mode.COMPUTED, false, false, description);
    }

    public static Attribute optionalComputed(String name, TfType type, String description) {
        return new Attribute(name, type, Mode.OPTIONAL_COMPUTED, false, false, description);
    }

    public Attribute asSensitive() {
        return new Attribute(name, type, mode, true, writeOnly, description);
    }

    /**
     * A value Terraform (1.11 and later) passes in the configuration of a plan or apply and never
     * stores in plan or state, so it may come from an ephemeral variable. The provider returns it
     * as null everywhere.
     */
    public Attribute asWriteOnly() {
        return new Attribute(name, type, mode, sensitive, true, description);
    }
}
