package io.proxplane.terraform.value;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A cty type as Terraform uses it on the wire. Schemas carry the type as JSON
 * ({@code "string"}, {@code ["list","string"]}, {@code ["object",{"a":"number"}]}); values are
 * encoded against a type (see {@link MsgpackCodec}).
 */
public sealed interface TfType {

    TfType STRING = new Primitive("string");
    TfType NUMBER = new Primitive("number");
    TfType BOOL = new Primitive("bool");
    TfType DYNAMIC = new Primitive("dynamic");

    /** The type's JSON form, the bytes of {@code Schema.Attribute.type}. */
    String json();

    record Primitive(String name) implements TfType {
        @Override
        public String json() {
            return "\"" + name + "\"";
        }
    }

    record ListOf(TfType element) implements TfType {
        public ListOf {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String json() {
            return "[\"list\"," + element.json() + "]";
        }
    }

    record SetOf(TfType element) implements TfType {
        public SetOf {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String json() {
            return "[\"set\"," + element.json() + "]";
        }
    }

    record MapOf(TfType element) implements TfType {
        public MapOf {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String json() {
            return "[\"map\"," + element.json() + "]";
        }
    }

    /** Attribute order does not matter to Terraform; we keep names sorted so the JSON is stable. */
    record ObjectOf(Map<String, TfType> attributes) implements TfType {
        public ObjectOf {
            attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
        }

        @Override
        public String json() {
            StringBuilder sb = new StringBuilder("[\"object\",{");
            boolean first = true;
            for (Map.Entry<String, TfType> e : attributes.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append('"').append(e.getKey()).append("\":").append(e.getValue().json());
            }
            return sb.append("}]").toString();
        }
    }

    record TupleOf(List<TfType> elements) implements TfType {
        public TupleOf {
            elements = List.copyOf(elements);
        }

        @Override
        public String json() {
            StringBuilder sb = new StringBuilder("[\"tuple\",[");
            for (int i = 0; i < elements.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(elements.get(i).json());
            }
            return sb.append("]]").toString();
        }
    }

    static TfType listOf(TfType element) {
        return new ListOf(element);
    }

    static TfType setOf(TfType element) {
        return new SetOf(element);
    }

    static TfType mapOf(TfType element) {
        return new MapOf(element);
    }

    static ObjectOf objectOf(Map<String, TfType> attributes) {
        return new ObjectOf(attributes);
    }

    /** Convenience for small literal object types: name, type, name, type, ... */
    static ObjectOf objectOf(Object... namesAndTypes) {
        Map<String, TfType> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            m.put((String) namesAndTypes[i], (TfType) namesAndTypes[i + 1]);
        }
        return new ObjectOf(m);
    }
}
