package io.proxplane.pvesim.api;

import java.util.List;

/**
 * One parameter of a route (path parameters included) or one key of a property string.
 * Validation reads these specs, so they are the single source of truth for what a route accepts.
 */
public record ParamSpec(String name, ParamType type, boolean optional, String format, String pattern,
                        List<String> enumValues, Number minimum, Number maximum, Integer minLength,
                        Integer maxLength, List<ParamSpec> propertyKeys, boolean defaultKey, String requires) {
    public ParamSpec {
        enumValues = enumValues == null ? List.of() : List.copyOf(enumValues);
        propertyKeys = propertyKeys == null ? List.of() : List.copyOf(propertyKeys);
    }

    /** True for "net[n]"-style names standing for net0, net1, ... */
    public boolean indexed() {
        return name.endsWith("[n]");
    }

    public String indexedPrefix() {
        return name.substring(0, name.length() - 3);
    }

    public boolean isPropertyString() {
        return !propertyKeys.isEmpty();
    }
}
