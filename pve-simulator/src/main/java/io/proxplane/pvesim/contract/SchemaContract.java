package io.proxplane.pvesim.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.pvesim.api.ParamSpec;
import io.proxplane.pvesim.api.RouteSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks the project's view of the Proxmox API against the official schema: the routes the
 * simulator serves (method, flags, every parameter and property-string key) and the requests
 * the client sends (method and path exist, parameters declared, required ones present,
 * values of the declared type, pattern, enumeration, range and format).
 *
 * <p>Each check returns human-readable violations; an empty list means conformance.
 */
public final class SchemaContract {

    private static final Pattern INDEXED = Pattern.compile("([a-z]+)(\\d+)");
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    private final PveApiSchema schema;
    private final BiFunction<String, String, Optional<String>> namedFormats;

    /**
     * @param namedFormats checks a value against a named PVE format (e.g. {@code pve-vmid});
     *     returns the error text, or empty when the value conforms or the format is unknown.
     *     Named formats are defined in pve-common's code, not in the schema, so the project's own
     *     rules are used for them.
     */
    public SchemaContract(PveApiSchema schema, BiFunction<String, String, Optional<String>> namedFormats) {
        this.schema = Objects.requireNonNull(schema);
        this.namedFormats = Objects.requireNonNull(namedFormats);
    }

    // ---------------------------------------------------------------- routes (simulator side)

    public List<String> checkRoute(RouteSpec route) {
        String key = route.method() + " " + route.pathTemplate();
        List<String> violations = new ArrayList<>();
        Optional<JsonNode> found = schema.method(route.method(), route.pathTemplate());
        if (found.isEmpty()) {
            violations.add(key + ": no such method in " + schema.source().getFileName());
            return violations;
        }
        JsonNode method = found.get();
        boolean schemaProtected = method.path("protected").asInt(0) == 1;
        boolean schemaAllowToken = method.path("allowtoken").asInt(1) == 1;
        if (route.protectedFlag() != schemaProtected) {
            violations.add(key + ": protected is " + route.protectedFlag() + ", schema says " + schemaProtected);
        }
        if (route.allowToken() != schemaAllowToken) {
            violations.add(key + ": allowtoken is " + route.allowToken() + ", schema says " + schemaAllowToken);
        }
        Map<String, JsonNode> declared = PveApiSchema.parameters(method);
        Map<String, ParamSpec> served = new TreeMap<>();
        route.parameters().forEach(p -> served.put(p.name(), p));
        for (String name : declared.keySet()) {
            if (!served.containsKey(name)) {
                violations.add(key + ": parameter '" + name + "' is in the schema but not served");
            }
        }
        for (ParamSpec spec : served.values()) {
            JsonNode property = declared.get(spec.name());
            if (property == null) {
                violations.add(key + ": parameter '" + spec.name() + "' is served but not in the schema");
            } else {
                compareParameter(key + " " + spec.name(), spec, property, violations);
            }
        }
        return violations;
    }

    private void compareParameter(String where, ParamSpec spec, JsonNode property, List<String> violations) {
        String schemaType = property.path("type").asText("string");
        String servedType = spec.type().name().toLowerCase(java.util.Locale.ROOT);
        if (!servedType.equals(schemaType)) {
            violations.add(where + ": type " + servedType + ", schema says " + schemaType);
        }
        boolean schemaOptional = property.path("optional").asInt(0) == 1;
        if (spec.optional() != schemaOptional) {
            violations.add(where + ": optional is " + spec.optional() + ", schema says " + schemaOptional);
        }
        JsonNode format = property.get("format");
        if (format != null && format.isObject()) {
            if (spec.propertyKeys().isEmpty()) {
                violations.add(where + ": schema declares a property string, served as a plain value");
            } else {
                Map<String, ParamSpec> keys = new TreeMap<>();
                spec.propertyKeys().forEach(k -> keys.put(k.name(), k));
                Set<String> schemaKeys = new TreeSet<>();
                format.properties().forEach(e -> schemaKeys.add(e.getKey()));
                if (!keys.keySet().equals(schemaKeys)) {
                    violations.add(where + ": property-string keys " + keys.keySet() + ", schema says " + schemaKeys);
                }
                format.properties().forEach(e -> {
                    ParamSpec keySpec = keys.get(e.getKey());
                    if (keySpec != null) {
                        compareParameter(where + "." + e.getKey(), keySpec, e.getValue(), violations);
                        boolean schemaDefaultKey = e.getValue().path("default_key").asInt(0) == 1;
                        if (keySpec.defaultKey() != schemaDefaultKey) {
                            violations.add(where + "." + e.getKey() + ": default key is " + keySpec.defaultKey()
                                    + ", schema says " + schemaDefaultKey);
                        }
                    }
                });
            }
        } else {
            String schemaFormat = format == null ? null : format.asText();
            if (!Objects.equals(spec.format(), schemaFormat)) {
                violations.add(where + ": format " + spec.format() + ", schema says " + schemaFormat);
            }
            if (!spec.propertyKeys().isEmpty()) {
                violations.add(where + ": served as a property string, schema declares a plain value");
            }
        }
        Set<String> schemaEnum = new TreeSet<>();
        property.path("enum").forEach(v -> schemaEnum.add(v.asText()));
        if (!new TreeSet<>(spec.enumValues()).equals(schemaEnum)) {
            violations.add(where + ": enum " + new TreeSet<>(spec.enumValues()) + ", schema says " + schemaEnum);
        }
        compareNumber(where, "minimum", spec.minimum(), property.get("minimum"), violations);
        compareNumber(where, "maximum", spec.maximum(), property.get("maximum"), violations);
        compareNumber(where, "minLength", spec.minLength(), property.get("minLength"), violations);
        compareNumber(where, "maxLength", spec.maxLength(), property.get("maxLength"), violations);
        String schemaRequires = property.hasNonNull("requires") ? property.get("requires").asText() : null;
        if (!Objects.equals(spec.requires(), schemaRequires)) {
            violations.add(where + ": requires " + spec.requires() + ", schema says " + schemaRequires);
        }
        String schemaPattern = property.hasNonNull("pattern") ? property.get("pattern").asText() : null;
        if (schemaPattern == null && spec.pattern() != null) {
            violations.add(where + ": pattern " + spec.pattern() + " enforced, schema has none");
        } else if (schemaPattern != null && spec.pattern() == null) {
            violations.add(where + ": schema pattern " + schemaPattern + " is not enforced");
        } else if (schemaPattern != null
                && !normalisePattern(PveApiSchema.javaPattern(schemaPattern)).equals(normalisePattern(spec.pattern()))) {
            violations.add(where + ": pattern " + spec.pattern() + ", schema says " + schemaPattern);
        }
    }

    private static void compareNumber(String where, String what, Number served, JsonNode schemaValue,
                                      List<String> violations) {
        BigDecimal a = served == null ? null : new BigDecimal(served.toString());
        BigDecimal b = schemaValue == null || schemaValue.isNull() ? null : new BigDecimal(schemaValue.asText());
        boolean same = a == null ? b == null : b != null && a.compareTo(b) == 0;
        if (!same) {
            violations.add(where + ": " + what + " " + a + ", schema says " + b);
        }
    }

    /** Patterns are compared modulo a redundant outer group and explicit anchors. */
    static String normalisePattern(String pattern) {
        String p = pattern;
        boolean changed = true;
        while (changed) {
            changed = false;
            if (p.startsWith("^") && p.endsWith("$") && !p.endsWith("\\$")) {
                p = p.substring(1, p.length() - 1);
                changed = true;
            }
            if (p.startsWith("(?:") && p.endsWith(")") && closesAtEnd(p)) {
                p = p.substring(3, p.length() - 1);
                changed = true;
            }
        }
        return p;
    }

    private static boolean closesAtEnd(String p) {
        int depth = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0 && i != p.length() - 1) {
                    return false;
                }
            }
        }
        return true;
    }

    // -------------------------------------------------------------- requests (client side)

    /**
     * Checks one request as the client sent it: {@code parameters} are the query or body
     * parameters (never the path parameters, which travel in the URL).
     */
    public List<String> checkRequest(String httpMethod, String pathTemplate, Map<String, String> parameters) {
        String key = httpMethod + " " + pathTemplate;
        List<String> violations = new ArrayList<>();
        Optional<JsonNode> found = schema.method(httpMethod, pathTemplate);
        if (found.isEmpty()) {
            violations.add(key + ": no such method in " + schema.source().getFileName());
            return violations;
        }
        Map<String, JsonNode> declared = PveApiSchema.parameters(found.get());
        Set<String> pathParams = new HashSet<>();
        Matcher m = PATH_PARAM.matcher(pathTemplate);
        while (m.find()) {
            pathParams.add(m.group(1));
        }
        Map<String, String> sent = new LinkedHashMap<>(parameters);
        for (var e : declared.entrySet()) {
            boolean required = e.getValue().path("optional").asInt(0) == 0;
            if (required && !pathParams.contains(e.getKey()) && !sent.containsKey(e.getKey())) {
                violations.add(key + ": required parameter '" + e.getKey() + "' not sent");
            }
        }
        for (var e : sent.entrySet()) {
            String name = e.getKey();
            if (pathParams.contains(name)) {
                violations.add(key + ": path parameter '" + name + "' also sent as a query/body parameter");
                continue;
            }
            JsonNode property = declared.get(name);
            if (property == null) {
                Matcher indexed = INDEXED.matcher(name);
                if (indexed.matches()) {
                    property = declared.get(indexed.group(1) + "[n]");
                }
            }
            if (property == null) {
                violations.add(key + ": parameter '" + name + "' is not in the schema");
                continue;
            }
            String requires = property.hasNonNull("requires") ? property.get("requires").asText() : null;
            if (requires != null && !sent.containsKey(requires)) {
                violations.add(key + ": parameter '" + name + "' requires '" + requires + "'");
            }
            checkValue(key + " " + name, property, e.getValue(), violations);
        }
        return violations;
    }

    private void checkValue(String where, JsonNode property, String value, List<String> violations) {
        String type = property.path("type").asText("string");
        switch (type) {
            case "boolean" -> {
                if (!value.equals("0") && !value.equals("1")) {
                    violations.add(where + ": boolean sent as '" + value + "', PVE accepts only 0 or 1");
                }
                return;
            }
            case "integer" -> {
                try {
                    checkRange(where, property, new BigDecimal(Long.parseLong(value)), violations);
                } catch (NumberFormatException e) {
                    violations.add(where + ": '" + value + "' is not an integer");
                }
                return;
            }
            case "number" -> {
                try {
                    checkRange(where, property, new BigDecimal(value), violations);
                } catch (NumberFormatException e) {
                    violations.add(where + ": '" + value + "' is not a number");
                }
                return;
            }
            default -> { }
        }
        if (property.has("maxLength") && value.length() > property.get("maxLength").asInt()) {
            violations.add(where + ": longer than " + property.get("maxLength").asInt() + " characters");
        }
        if (property.has("minLength") && value.length() < property.get("minLength").asInt()) {
            violations.add(where + ": shorter than " + property.get("minLength").asInt() + " characters");
        }
        if (property.has("enum")) {
            Set<String> allowed = new TreeSet<>();
            property.get("enum").forEach(v -> allowed.add(v.asText()));
            if (!allowed.contains(value)) {
                violations.add(where + ": '" + value + "' not in " + allowed);
            }
        }
        if (property.hasNonNull("pattern")) {
            try {
                if (!Pattern.compile(PveApiSchema.javaPattern(property.get("pattern").asText())).matcher(value).matches()) {
                    violations.add(where + ": '" + value + "' does not match " + property.get("pattern").asText());
                }
            } catch (PatternSyntaxException e) {
                violations.add(where + ": schema pattern does not compile: " + e.getMessage());
            }
        }
        JsonNode format = property.get("format");
        if (format == null) {
            return;
        }
        if (format.isObject()) {
            checkPropertyString(where, format, value, violations);
        } else {
            namedFormats.apply(format.asText(), value)
                    .ifPresent(error -> violations.add(where + ": '" + value + "' is not a valid "
                            + format.asText() + ": " + error));
        }
    }

    private static void checkRange(String where, JsonNode property, BigDecimal number, List<String> violations) {
        if (property.has("minimum") && number.compareTo(new BigDecimal(property.get("minimum").asText())) < 0) {
            violations.add(where + ": " + number + " is below the minimum " + property.get("minimum").asText());
        }
        if (property.has("maximum") && number.compareTo(new BigDecimal(property.get("maximum").asText())) > 0) {
            violations.add(where + ": " + number + " is above the maximum " + property.get("maximum").asText());
        }
    }

    private void checkPropertyString(String where, JsonNode format, String value, List<String> violations) {
        String defaultKey = null;
        for (var e : format.properties()) {
            if (e.getValue().path("default_key").asInt(0) == 1) {
                defaultKey = e.getKey();
            }
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            String k;
            String v;
            if (eq < 0) {
                if (defaultKey == null) {
                    violations.add(where + ": '" + part + "' has no key and the format has no default key");
                    continue;
                }
                k = defaultKey;
                v = part;
            } else {
                k = part.substring(0, eq);
                v = part.substring(eq + 1);
            }
            if (pairs.put(k, v) != null) {
                violations.add(where + ": key '" + k + "' given twice");
            }
        }
        for (var e : format.properties()) {
            if (e.getValue().path("optional").asInt(0) == 0 && !pairs.containsKey(e.getKey())) {
                violations.add(where + ": required key '" + e.getKey() + "' missing");
            }
        }
        pairs.forEach((k, v) -> {
            JsonNode keyProperty = format.get(k);
            if (keyProperty == null) {
                violations.add(where + ": key '" + k + "' is not in the schema");
            } else {
                checkValue(where + "." + k, keyProperty, v, violations);
            }
        });
    }
}
