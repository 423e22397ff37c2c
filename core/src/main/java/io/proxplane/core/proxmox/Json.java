package io.proxplane.core.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Lenient readers for Proxmox JSON: booleans arrive as 0/1 or true/false (or "1"), numbers may
 * arrive as strings (proxmox-api.md §1.4). Missing and null read as null.
 */
final class Json {

    private Json() {
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    static Integer integer(JsonNode node, String field) {
        Long v = lng(node, field);
        return v == null ? null : Math.toIntExact(v);
    }

    static Long lng(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.longValue();
        }
        String t = v.asText().trim();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            try {
                return (long) Double.parseDouble(t);
            } catch (NumberFormatException e2) {
                throw new IllegalStateException("response field '" + field + "' is not a number: '" + t + "'");
            }
        }
    }

    static Double dbl(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        String t = v.asText().trim();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("response field '" + field + "' is not a number: '" + t + "'");
        }
    }

    static Boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            return v.intValue() != 0;
        }
        return switch (v.asText().trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off", "" -> false;
            default -> throw new IllegalStateException("response field '" + field + "' is not a boolean: '" + v.asText() + "'");
        };
    }

    static boolean bool(JsonNode node, String field, boolean fallback) {
        Boolean b = bool(node, field);
        return b == null ? fallback : b;
    }

    /** A list that arrives either as a JSON array or as one string separated by {@code separators}. */
    static List<String> list(JsonNode node, String field, String separators) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.isArray()) {
            List<String> out = new ArrayList<>();
            v.forEach(e -> out.add(e.asText()));
            return out;
        }
        String t = v.asText();
        return t.isBlank() ? List.of() : Arrays.stream(t.split(separators)).filter(s -> !s.isBlank()).toList();
    }

    static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(out::add);
        }
        return out;
    }
}
