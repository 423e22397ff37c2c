package io.proxplane.terraform.framework;

import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Terraform's plan/apply consistency rules (protocol §5.2–5.3), checked before a result leaves
 * the provider so that a resource's mistake reads as "provider bug at <attribute>: planned X, got
 * Y" instead of Terraform's "Provider produced inconsistent result". A port of the essential
 * part of core's objchange checks: every value known in the plan must come back unchanged.
 */
public final class Consistency {

    private Consistency() {
    }

    /** Every known part of {@code planned} must be equal in {@code actual}. */
    public static void checkApplied(String typeName, TfValue planned, TfValue actual, TfType type, Diagnostics d) {
        compare(typeName, planned, actual, type, AttributePath.ROOT, d);
    }

    private static void compare(String typeName, TfValue planned, TfValue actual, TfType type, AttributePath at, Diagnostics d) {
        if (planned.isUnknown()) {
            return;
        }
        switch (type) {
            case TfType.ObjectOf o when planned instanceof TfValue.Obj p && actual instanceof TfValue.Obj a -> {
                for (Map.Entry<String, TfType> e : o.attributes().entrySet()) {
                    compare(typeName, p.get(e.getKey()), a.get(e.getKey()), e.getValue(), at.attribute(e.getKey()), d);
                }
            }
            case TfType.MapOf m when planned instanceof TfValue.Obj p && actual instanceof TfValue.Obj a -> {
                if (!p.entries().keySet().equals(a.entries().keySet())) {
                    mismatch(typeName, at, planned, actual, d);
                    return;
                }
                p.entries().forEach((k, v) -> compare(typeName, v, a.get(k), m.element(), at.key(k), d));
            }
            case TfType.ListOf l when planned instanceof TfValue.Seq p && actual instanceof TfValue.Seq a -> {
                if (p.elements().size() != a.elements().size()) {
                    mismatch(typeName, at, planned, actual, d);
                    return;
                }
                for (int i = 0; i < p.elements().size(); i++) {
                    compare(typeName, p.elements().get(i), a.elements().get(i), l.element(), at.index(i), d);
                }
            }
            case TfType.TupleOf t when planned instanceof TfValue.Seq p && actual instanceof TfValue.Seq a -> {
                for (int i = 0; i < Math.min(p.elements().size(), a.elements().size()); i++) {
                    compare(typeName, p.elements().get(i), a.elements().get(i), t.elements().get(i), at.index(i), d);
                }
            }
            case TfType.SetOf s when planned instanceof TfValue.Seq p && actual instanceof TfValue.Seq a -> {
                // Set elements cannot be addressed; compare as unordered when the plan knows them all.
                if (p.isWhollyKnown() && !sameElements(p.elements(), a.elements())) {
                    mismatch(typeName, at, planned, actual, d);
                }
            }
            default -> {
                if (!planned.equals(actual)) {
                    mismatch(typeName, at, planned, actual, d);
                }
            }
        }
    }

    private static boolean sameElements(List<TfValue> a, List<TfValue> b) {
        List<TfValue> rest = new ArrayList<>(b);
        for (TfValue v : a) {
            if (!rest.remove(v)) {
                return false;
            }
        }
        return rest.isEmpty();
    }

    private static void mismatch(String typeName, AttributePath at, TfValue planned, TfValue actual, Diagnostics d) {
        d.error(at.steps().isEmpty() ? null : at, "Provider bug: " + typeName + " changed a planned value",
                "At " + (at.steps().isEmpty() ? "the object" : at.toString()) + " the plan said " + show(planned)
                        + " but the result is " + show(actual) + ". Please report this.");
    }

    private static String show(TfValue v) {
        return switch (v) {
            case TfValue.Null n -> "null";
            case TfValue.Unknown u -> "(known after apply)";
            case TfValue.Str s -> "\"" + s.value() + "\"";
            case TfValue.Num n -> n.value().toPlainString();
            case TfValue.Bool b -> String.valueOf(b.value());
            case TfValue.Seq s -> s.elements().size() + " elements";
            case TfValue.Obj o -> "an object";
        };
    }
}
