package io.proxplane.terraform.value;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Terraform value without its type: null, unknown (known only after apply) or known. Types
 * live in the schema; the codecs pair a value with its type. Collections keep Terraform's
 * meaning: a {@link Seq} is a list, set or tuple, a {@link Obj} is a map or object.
 */
public sealed interface TfValue {

    TfValue NULL = new Null();
    TfValue UNKNOWN = new Unknown();

    default boolean isNull() {
        return this instanceof Null;
    }

    default boolean isUnknown() {
        return this instanceof Unknown;
    }

    default boolean isKnown() {
        return !isUnknown();
    }

    /** True if this value and everything inside it is known. */
    default boolean isWhollyKnown() {
        return switch (this) {
            case Unknown u -> false;
            case Seq s -> s.elements().stream().allMatch(TfValue::isWhollyKnown);
            case Obj o -> o.entries().values().stream().allMatch(TfValue::isWhollyKnown);
            default -> true;
        };
    }

    record Null() implements TfValue {
    }

    record Unknown() implements TfValue {
    }

    record Str(String value) implements TfValue {
        public Str {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Numbers are arbitrary precision in Terraform. */
    record Num(BigDecimal value) implements TfValue {
        public Num {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Num n && n.value.compareTo(value) == 0;
        }

        @Override
        public int hashCode() {
            return value.stripTrailingZeros().hashCode();
        }
    }

    record Bool(boolean value) implements TfValue {
    }

    record Seq(List<TfValue> elements) implements TfValue {
        public Seq {
            elements = Collections.unmodifiableList(new ArrayList<>(elements));
        }
    }

    record Obj(Map<String, TfValue> entries) implements TfValue {
        public Obj {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        /** The attribute's value; absent attributes read as null. */
        public TfValue get(String name) {
            return entries.getOrDefault(name, NULL);
        }

        public Obj with(String name, TfValue value) {
            Map<String, TfValue> copy = new LinkedHashMap<>(entries);
            copy.put(name, value);
            return new Obj(copy);
        }
    }

    static TfValue of(String s) {
        return s == null ? NULL : new Str(s);
    }

    static TfValue of(Long n) {
        return n == null ? NULL : new Num(BigDecimal.valueOf(n));
    }

    static TfValue of(Integer n) {
        return n == null ? NULL : new Num(BigDecimal.valueOf(n));
    }

    static TfValue of(Double n) {
        return n == null ? NULL : new Num(BigDecimal.valueOf(n));
    }

    static TfValue of(Boolean b) {
        return b == null ? NULL : new Bool(b);
    }

    static Seq seq(List<? extends TfValue> elements) {
        return new Seq(new ArrayList<>(elements));
    }

    static Obj obj(Map<String, ? extends TfValue> entries) {
        return new Obj(new LinkedHashMap<>(entries));
    }
}
