package io.proxplane.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a custom resource against a CRD's {@code openAPIV3Schema} the way the API server's
 * structural validation does for the keywords our CRDs use: type, properties (unknown fields are
 * errors, as {@code kubectl apply --validate=strict} reports them), required, additionalProperties,
 * enum, pattern, min/maxLength, minimum/maximum, min/maxItems, maxProperties, items. CEL rules
 * ({@code x-kubernetes-validations}) are not evaluated here. Pure test helper.
 */
public final class StructuralSchema {
    private StructuralSchema() {
    }

    public static List<String> validate(JsonNode schema, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "", errors);
        return errors;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (value == null || value.isNull()) return;
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    errors.add(path + ": must be an object");
                    return;
                }
                JsonNode props = schema.get("properties");
                JsonNode additional = schema.get("additionalProperties");
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    var e = it.next();
                    String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                    if (props != null && props.has(e.getKey())) {
                        check(props.get(e.getKey()), e.getValue(), child, errors);
                    } else if (additional != null && additional.isObject()) {
                        check(additional, e.getValue(), child, errors);
                    } else if (!(path.isEmpty() && (e.getKey().equals("apiVersion") || e.getKey().equals("kind")
                            || e.getKey().equals("metadata")))) {
                        errors.add(child + ": unknown field");
                    }
                }
                for (JsonNode r : schema.path("required")) {
                    if (!value.has(r.asText())) errors.add((path.isEmpty() ? "" : path + ".") + r.asText() + ": required");
                }
                if (schema.has("maxProperties") && value.size() > schema.get("maxProperties").asInt()) {
                    errors.add(path + ": at most " + schema.get("maxProperties").asInt() + " entries");
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    errors.add(path + ": must be an array");
                    return;
                }
                if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                    errors.add(path + ": at most " + schema.get("maxItems").asInt() + " items");
                }
                if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
                    errors.add(path + ": at least " + schema.get("minItems").asInt() + " items");
                }
                for (int i = 0; i < value.size(); i++) check(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
            }
            case "string" -> {
                if (!value.isTextual()) {
                    errors.add(path + ": must be a string");
                    return;
                }
                String s = value.asText();
                if (schema.has("maxLength") && s.length() > schema.get("maxLength").asInt()) {
                    errors.add(path + ": longer than " + schema.get("maxLength").asInt());
                }
                if (schema.has("minLength") && s.length() < schema.get("minLength").asInt()) {
                    errors.add(path + ": shorter than " + schema.get("minLength").asInt());
                }
                if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
                    errors.add(path + ": does not match " + schema.get("pattern").asText());
                }
                enumCheck(schema, value, path, errors);
            }
            case "integer", "number" -> {
                if (!value.isNumber() || (type.equals("integer") && !value.canConvertToLong())) {
                    errors.add(path + ": must be an " + type);
                    return;
                }
                if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
                    errors.add(path + ": less than the minimum " + schema.get("minimum").asLong());
                }
                if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
                    errors.add(path + ": more than the maximum " + schema.get("maximum").asLong());
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) errors.add(path + ": must be a boolean");
            }
            default -> {
                // untyped (x-kubernetes-preserve-unknown-fields): anything goes
            }
        }
    }

    private static void enumCheck(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (!schema.has("enum")) return;
        for (JsonNode e : schema.get("enum")) if (e.equals(value)) return;
        errors.add(path + ": must be one of " + schema.get("enum"));
    }
}
