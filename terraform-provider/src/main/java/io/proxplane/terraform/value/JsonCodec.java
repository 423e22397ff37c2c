package io.proxplane.terraform.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of DynamicValue, which Terraform sends in one place we care about:
 * {@code UpgradeResourceState.raw_state.json} (the stored state, possibly of an older schema).
 * JSON has no unknown. Attributes the type does not know are dropped, so an old state with a
 * removed attribute still decodes.
 */
public final class JsonCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonCodec() {
    }

    public static TfValue decode(byte[] json, TfType type) {
        if (json == null || json.length == 0) {
            return TfValue.NULL;
        }
        try {
            return read(MAPPER.readTree(json), type, "");
        } catch (IOException e) {
            throw new IllegalArgumentException("json: " + e.getMessage(), e);
        }
    }

    private static TfValue read(JsonNode n, TfType type, String at) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return TfValue.NULL;
        }
        String where = at.isEmpty() ? "value" : at;
        return switch (type) {
            case TfType.Primitive p when "dynamic".equals(p.name()) ->
                    read(n.get("value"), TypeJson.parse(n.get("type")), at);
            case TfType.Primitive p -> switch (p.name()) {
                case "string" -> {
                    if (!n.isValueNode()) {
                        throw new IllegalArgumentException(where + ": expected a string");
                    }
                    yield new TfValue.Str(n.asText());
                }
                case "number" -> {
                    if (n.isNumber()) {
                        yield new TfValue.Num(n.decimalValue());
                    }
                    try {
                        yield new TfValue.Num(new java.math.BigDecimal(n.asText()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(where + ": expected a number, got " + n);
                    }
                }
                case "bool" -> {
                    if (n.isBoolean()) {
                        yield new TfValue.Bool(n.booleanValue());
                    }
                    throw new IllegalArgumentException(where + ": expected a bool, got " + n);
                }
                default -> throw new IllegalStateException(p.name());
            };
            case TfType.ListOf l -> readArray(n, i -> l.element(), where);
            case TfType.SetOf s -> readArray(n, i -> s.element(), where);
            case TfType.TupleOf t -> readArray(n, i -> t.elements().get(i), where);
            case TfType.MapOf m -> {
                Map<String, TfValue> entries = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> it = n.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    entries.put(e.getKey(), read(e.getValue(), m.element(), where + "[\"" + e.getKey() + "\"]"));
                }
                yield new TfValue.Obj(entries);
            }
            case TfType.ObjectOf o -> {
                if (!n.isObject()) {
                    throw new IllegalArgumentException(where + ": expected an object");
                }
                Map<String, TfValue> entries = new LinkedHashMap<>();
                o.attributes().forEach((name, t) -> entries.put(name, read(n.get(name), t, at.isEmpty() ? name : at + "." + name)));
                yield new TfValue.Obj(entries);
            }
        };
    }

    private interface ElementType {
        TfType at(int index);
    }

    private static TfValue readArray(JsonNode n, ElementType type, String where) {
        if (!n.isArray()) {
            throw new IllegalArgumentException(where + ": expected an array");
        }
        List<TfValue> elems = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            elems.add(read(n.get(i), type.at(i), where + "[" + i + "]"));
        }
        return new TfValue.Seq(elems);
    }
}
