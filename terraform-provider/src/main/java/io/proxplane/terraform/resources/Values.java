package io.proxplane.terraform.resources;

import io.proxplane.core.model.ValidationException;
import io.proxplane.terraform.value.TfValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reading known attribute values of a resource object; null for null (callers only pass known values). */
final class Values {

    private Values() {
    }

    static String str(TfValue.Obj o, String name) {
        return o.get(name) instanceof TfValue.Str s ? s.value() : null;
    }

    /** A whole number; a fraction or a value beyond long is refused naming the attribute. */
    static Long lng(TfValue.Obj o, String name) {
        if (!(o.get(name) instanceof TfValue.Num n)) {
            return null;
        }
        try {
            return n.value().longValueExact();
        } catch (ArithmeticException e) {
            throw new ValidationException(name, "must be a whole number, got " + n.value().toPlainString());
        }
    }

    static Integer integer(TfValue.Obj o, String name) {
        Long v = lng(o, name);
        if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            throw new ValidationException(name, "is out of range, got " + v);
        }
        return v == null ? null : v.intValue();
    }

    static boolean bool(TfValue.Obj o, String name) {
        return o.get(name) instanceof TfValue.Bool b && b.value();
    }

    /**
     * A string attribute naming an enum constant in lower case ({@code least_loaded} for
     * {@code LEAST_LOADED}); any other spelling is refused naming the attribute and the choices.
     */
    static <E extends Enum<E>> E choice(TfValue.Obj o, String name, Class<E> type) {
        String value = str(o, name);
        if (value == null) {
            return null;
        }
        List<String> choices = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
        int i = choices.indexOf(value);
        if (i < 0) {
            String last = choices.get(choices.size() - 1);
            String others = String.join(", ", choices.subList(0, choices.size() - 1));
            throw new ValidationException(name, "must be " + (others.isEmpty() ? last : others + " or " + last) + ", got '" + value + "'");
        }
        return type.getEnumConstants()[i];
    }

    /** The attribute spelling of an enum constant (see {@link #choice(TfValue.Obj, String, Class)}). */
    static TfValue choice(Enum<?> constant) {
        return TfValue.of(constant.name().toLowerCase(Locale.ROOT));
    }

    static TfValue.Obj obj(TfValue.Obj o, String name) {
        return o.get(name) instanceof TfValue.Obj v ? v : null;
    }

    static List<String> strings(TfValue.Obj o, String name) {
        if (!(o.get(name) instanceof TfValue.Seq s)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (TfValue v : s.elements()) {
            out.add(v instanceof TfValue.Str x ? x.value() : null);
        }
        return out;
    }

    static List<TfValue.Obj> objects(TfValue.Obj o, String name) {
        if (!(o.get(name) instanceof TfValue.Seq s)) {
            return List.of();
        }
        return s.elements().stream().map(TfValue.Obj.class::cast).toList();
    }

    static Map<String, String> stringMap(TfValue.Obj o, String name) {
        if (!(o.get(name) instanceof TfValue.Obj m)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.entries().forEach((k, v) -> out.put(k, v instanceof TfValue.Str s ? s.value() : null));
        return out;
    }

    static TfValue strings(List<String> values) {
        return values == null ? TfValue.NULL : TfValue.seq(values.stream().map(TfValue::of).toList());
    }

    static TfValue stringMap(Map<String, String> values) {
        if (values == null) {
            return TfValue.NULL;
        }
        Map<String, TfValue> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, TfValue.of(v)));
        return TfValue.obj(m);
    }

    // An imported object's optional attributes stay null where the engine holds its default (false,
    // empty): a configuration that leaves them out then plans no change.

    static TfValue unsetIfFalse(boolean b) {
        return b ? TfValue.of(true) : TfValue.NULL;
    }

    static TfValue unsetIfEmpty(List<String> values) {
        return values.isEmpty() ? TfValue.NULL : strings(values);
    }

    static TfValue unsetIfEmpty(Map<String, String> values) {
        return values.isEmpty() ? TfValue.NULL : stringMap(values);
    }

    static TfValue num(Number n) {
        return n == null ? TfValue.NULL : TfValue.of(n.longValue());
    }
}
