package io.proxplane.pvesim.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Parsing, validation and canonical printing of PVE property strings ("key=value,key=value"). */
public final class PropertyString {
    private PropertyString() {}

    /** Thrown with the text that follows "invalid format - " in the parameter error. */
    public static final class FormatError extends Exception {
        public FormatError(String message) { super(message, null, false, false); }
    }

    /** Parses and validates {@code value} against {@code keys}; {@code path} names the parameter (e.g. net0). */
    public static LinkedHashMap<String, String> parse(String path, List<ParamSpec> keys, String value) throws FormatError {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        Map<String, ParamSpec> byName = new LinkedHashMap<>();
        ParamSpec defaultKey = null;
        for (ParamSpec k : keys) {
            byName.put(k.name(), k);
            if (k.defaultKey()) defaultKey = k;
        }
        for (String part : value.split(",")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            if (eq > 0) {
                String k = part.substring(0, eq);
                String v = part.substring(eq + 1);
                if (!byName.containsKey(k)) throw new FormatError("invalid key in comma-separated list property: " + k + "\n");
                if (out.containsKey(k)) throw new FormatError("duplicate key in comma-separated list property: " + k + "\n");
                out.put(k, v);
            } else {
                if (defaultKey == null) throw new FormatError("missing key in comma-separated list property\n");
                if (out.containsKey(defaultKey.name()))
                    throw new FormatError("duplicate key in comma-separated list property: " + defaultKey.name() + "\n");
                out.put(defaultKey.name(), part);
            }
        }
        Map<String, String> errors = new TreeMap<>();
        for (ParamSpec k : keys) {
            String v = out.get(k.name());
            if (v == null) {
                if (!k.optional()) errors.put(path + "." + k.name(), "property is missing and it is not optional");
                continue;
            }
            String err = Validator.checkValue(k, v);
            if (err != null) errors.put(path + "." + k.name(), err);
        }
        if (!errors.isEmpty()) {
            StringBuilder sb = new StringBuilder("format error\n");
            errors.forEach((k, v) -> sb.append(k).append(": ").append(v.endsWith("\n") ? v : v + "\n"));
            throw new FormatError(sb.toString());
        }
        return out;
    }

    /** Lenient parse without validation, for values the simulator itself wrote. */
    public static LinkedHashMap<String, String> parseTrusted(List<ParamSpec> keys, String value) {
        try {
            return parse("x", keys, value);
        } catch (FormatError e) {
            throw new IllegalStateException("stored property string does not parse: " + value + ": " + e.getMessage());
        }
    }

    /** Canonical form: default key (bare), then required keys, then optional keys, each group alphabetical. */
    public static String print(List<ParamSpec> keys, Map<String, String> values) {
        List<String> parts = new ArrayList<>();
        ParamSpec dk = keys.stream().filter(ParamSpec::defaultKey).findFirst().orElse(null);
        if (dk != null && values.containsKey(dk.name())) parts.add(values.get(dk.name()));
        List<ParamSpec> sorted = new ArrayList<>(keys);
        sorted.sort((a, b) -> a.optional() != b.optional() ? (a.optional() ? 1 : -1) : a.name().compareTo(b.name()));
        for (ParamSpec k : sorted) {
            if (k == dk) continue;
            String v = values.get(k.name());
            if (v != null) parts.add(k.name() + "=" + v);
        }
        return String.join(",", parts);
    }
}
