package io.proxplane.core.proxmox.model;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parsing and rendering of Proxmox property strings ({@code key=value,key=value}). */
final class PropertyStrings {

    private PropertyStrings() {
    }

    /**
     * Splits a property string into keys and values. A part without '=' is the value of
     * {@code defaultKey} (e.g. {@code local-lvm:8} for rootfs' {@code volume}).
     */
    static Map<String, String> parse(String text, String defaultKey, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + ": empty property string");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key;
            String value;
            if (eq < 0) {
                if (defaultKey == null) {
                    throw new IllegalArgumentException(what + ": '" + part + "' has no key (expected key=value)");
                }
                key = defaultKey;
                value = part;
            } else {
                key = part.substring(0, eq);
                value = part.substring(eq + 1);
            }
            if (result.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException(what + ": key '" + key + "' given twice");
            }
        }
        return result;
    }

    static void put(StringBuilder sb, String key, Object value) {
        if (value == null) {
            return;
        }
        if (!sb.isEmpty()) {
            sb.append(',');
        }
        sb.append(key).append('=').append(render(value));
    }

    static String render(Object value) {
        return switch (value) {
            case Boolean b -> b ? "1" : "0";
            case Double d -> BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            default -> value.toString();
        };
    }

    static Boolean bool(Map<String, String> map, String key, String what) {
        String v = map.get(key);
        if (v == null) {
            return null;
        }
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes", "on" -> Boolean.TRUE;
            case "0", "false", "no", "off" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(what + "." + key + ": not a boolean: '" + v + "'");
        };
    }

    static Integer integer(Map<String, String> map, String key, String what) {
        String v = map.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + "." + key + ": not an integer: '" + v + "'");
        }
    }

    static Double number(Map<String, String> map, String key, String what) {
        String v = map.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Double.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + "." + key + ": not a number: '" + v + "'");
        }
    }

    /** Values end up inside a comma-separated list: ',' and '=' (and newlines) would corrupt it. */
    static void requireSafe(String value, String field) {
        if (value != null && (value.isEmpty() || value.indexOf(',') >= 0 || value.indexOf('=') >= 0
                || value.indexOf('\n') >= 0)) {
            throw new IllegalArgumentException(field + ": must be non-empty and must not contain ',', '=' or newlines: '"
                    + value + "'");
        }
    }
}
