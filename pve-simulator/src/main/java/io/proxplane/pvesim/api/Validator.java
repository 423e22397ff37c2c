package io.proxplane.pvesim.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parameter validation driven by the route's {@link ParamSpec}s, with PVE's texts
 * (pve-common JSONSchema.pm `validate`): 400 "Parameter verification failed." plus per-parameter errors.
 */
public final class Validator {
    private Validator() {}

    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern NUMBER = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern INDEXED = Pattern.compile("([a-z]+)(\\d+)");
    private static final Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

    /** How many instances of an indexed parameter exist (pve-container: 32 NICs, 256 mount points/devices). */
    public static int indexRange(String prefix) {
        return switch (prefix) {
            case "net" -> 32;
            default -> 256;
        };
    }

    /** Finds the spec for a concrete name (net0 matches net[n]); null if unknown. */
    public static ParamSpec lookup(RouteSpec route, String name) {
        for (ParamSpec p : route.parameters()) {
            if (!p.indexed() && p.name().equals(name)) return p;
        }
        Matcher m = INDEXED.matcher(name);
        if (m.matches()) {
            for (ParamSpec p : route.parameters()) {
                if (p.indexed() && p.indexedPrefix().equals(m.group(1))) {
                    String digits = m.group(2);
                    if (digits.length() > 1 && digits.startsWith("0")) return null;
                    return Integer.parseInt(digits) < indexRange(m.group(1)) ? p : null;
                }
            }
        }
        return null;
    }

    /** Validates all parameters; throws 400 with every error found. */
    public static void validate(RouteSpec route, Map<String, String> params) {
        Map<String, String> errors = new TreeMap<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            ParamSpec spec = lookup(route, e.getKey());
            if (spec == null) {
                errors.put(e.getKey(), "property is not defined in schema and the schema does not allow additional properties");
                continue;
            }
            String err = checkValue(spec, e.getKey(), e.getValue());
            if (err != null) errors.put(e.getKey(), err);
        }
        for (ParamSpec p : route.parameters()) {
            if (!p.optional() && !p.indexed() && !params.containsKey(p.name())) {
                errors.put(p.name(), "property is missing and it is not optional");
            }
            if (p.requires() != null && params.containsKey(p.name()) && !params.containsKey(p.requires())) {
                errors.putIfAbsent(p.requires(), "missing property required by '" + p.name() + "'");
            }
        }
        if (!errors.isEmpty()) throw new ApiException(400, "Parameter verification failed.", errors);
    }

    static String checkValue(ParamSpec spec, String value) {
        return checkValue(spec, spec.name(), value);
    }

    /** Checks one value; returns the error text or null. */
    static String checkValue(ParamSpec spec, String concreteName, String value) {
        switch (spec.type()) {
            case BOOLEAN -> {
                if (!value.equals("1") && !value.equals("0") && !value.isEmpty())
                    return "type check ('boolean') failed - got '" + value + "'";
            }
            case INTEGER -> {
                if (!INTEGER.matcher(value).matches()) return "type check ('integer') failed - got '" + value + "'";
                String r = checkRange(spec, Double.parseDouble(value));
                if (r != null) return r;
                if (spec.format() != null) {
                    String err = Formats.check(spec.format(), value);
                    if (err != null) return "invalid format - " + err;
                }
            }
            case NUMBER -> {
                if (!NUMBER.matcher(value).matches()) return "type check ('number') failed - got '" + value + "'";
                String r = checkRange(spec, Double.parseDouble(value));
                if (r != null) return r;
            }
            case STRING -> {
                if (spec.maxLength() != null && value.length() > spec.maxLength())
                    return "value may only be " + spec.maxLength() + " characters long";
                if (spec.minLength() != null && value.length() < spec.minLength())
                    return "value must be at least " + spec.minLength() + " characters long";
                if (spec.pattern() != null
                        && !PATTERNS.computeIfAbsent(spec.pattern(), Pattern::compile).matcher(value).matches())
                    return "value does not match the regex pattern";
                if (spec.isPropertyString()) {
                    try {
                        PropertyString.parse(concreteName, spec.propertyKeys(), value);
                    } catch (PropertyString.FormatError e) {
                        return "invalid format - " + e.getMessage();
                    }
                } else if (spec.format() != null) {
                    String err = Formats.check(spec.format(), value);
                    if (err != null) return "invalid format - " + err;
                }
            }
        }
        if (!spec.enumValues().isEmpty() && !spec.enumValues().contains(value)) {
            return "value '" + value + "' does not have a value in the enumeration '" + String.join(", ", spec.enumValues()) + "'";
        }
        return null;
    }

    private static String checkRange(ParamSpec spec, double v) {
        if (spec.minimum() != null && v < spec.minimum().doubleValue())
            return "value must have a minimum value of " + spec.minimum();
        if (spec.maximum() != null && v > spec.maximum().doubleValue())
            return "value must have a maximum value of " + spec.maximum();
        return null;
    }

    /** Merges JSON body values into strings the way PVE sees them (true → 1). */
    public static Map<String, String> stringify(Map<String, Object> json) {
        Map<String, String> out = new LinkedHashMap<>();
        json.forEach((k, v) -> {
            if (v == null) return;
            if (v instanceof Boolean b) out.put(k, b ? "1" : "0");
            else out.put(k, v.toString());
        });
        return out;
    }
}
