package io.proxplane.terraform.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses the JSON form of a cty type (the inverse of {@link TfType#json()}). */
public final class TypeJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TypeJson() {
    }

    public static TfType parse(String json) {
        try {
            return parse(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("type: not JSON: " + e.getMessage(), e);
        }
    }

    public static TfType parse(JsonNode n) {
        if (n.isTextual()) {
            return switch (n.asText()) {
                case "string" -> TfType.STRING;
                case "number" -> TfType.NUMBER;
                case "bool" -> TfType.BOOL;
                case "dynamic" -> TfType.DYNAMIC;
                default -> throw new IllegalArgumentException("type: unknown primitive '" + n.asText() + "'");
            };
        }
        if (!n.isArray() || n.size() < 2 || !n.get(0).isTextual()) {
            throw new IllegalArgumentException("type: expected a string or [kind, ...], got " + n);
        }
        return switch (n.get(0).asText()) {
            case "list" -> new TfType.ListOf(parse(n.get(1)));
            case "set" -> new TfType.SetOf(parse(n.get(1)));
            case "map" -> new TfType.MapOf(parse(n.get(1)));
            case "object" -> {
                Map<String, TfType> attrs = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> it = n.get(1).fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    attrs.put(e.getKey(), parse(e.getValue()));
                }
                yield new TfType.ObjectOf(attrs);
            }
            case "tuple" -> {
                List<TfType> elems = new ArrayList<>();
                n.get(1).forEach(e -> elems.add(parse(e)));
                yield new TfType.TupleOf(elems);
            }
            default -> throw new IllegalArgumentException("type: unknown kind '" + n.get(0).asText() + "'");
        };
    }
}
