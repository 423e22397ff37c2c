package io.proxplane.terraform.framework;

import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.value.TfValue;
import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers for planning that follow Terraform's plan-validity rules (protocol §5.2). */
public final class Plans {

    private Plans() {
    }

    /**
     * Computed attributes that the configuration leaves null become unknown: their value is
     * decided at apply. Everything else stays as proposed (config value, or prior value).
     */
    public static TfValue.Obj unknownComputed(Block block, TfValue.Obj proposed, TfValue.Obj config) {
        Map<String, TfValue> out = new LinkedHashMap<>(proposed.entries());
        for (Attribute a : block.attributes()) {
            if (a.mode().computed() && config.get(a.name()).isNull() && proposed.get(a.name()).isNull()) {
                out.put(a.name(), TfValue.UNKNOWN);
            }
        }
        return new TfValue.Obj(out);
    }

    /**
     * The value with every unknown (at any depth) replaced by null: what Terraform itself does with
     * the state a failed apply returns, done here so the framework's "wholly known" rule holds.
     */
    public static TfValue.Obj unknownAsNull(TfValue.Obj v) {
        return (TfValue.Obj) nulled(v);
    }

    private static TfValue nulled(TfValue v) {
        return switch (v) {
            case TfValue.Unknown u -> TfValue.NULL;
            case TfValue.Obj o -> {
                Map<String, TfValue> out = new LinkedHashMap<>();
                o.entries().forEach((k, e) -> out.put(k, nulled(e)));
                yield new TfValue.Obj(out);
            }
            case TfValue.Seq s -> TfValue.seq(s.elements().stream().map(Plans::nulled).toList());
            default -> v;
        };
    }
}
