package io.proxplane.terraform.resources;

import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.value.TfValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes that name an engine object, in import-id order ({@code site}, {@code container},
 * {@code name}). Joined by '/' they are the resource's {@code id} and its import id, and changing
 * one replaces the object: the engine has no rename.
 *
 * @param importIdShape what the import id looks like, for the error on a malformed one
 */
record Identity(List<String> attributes, String importIdShape) {

    Identity {
        attributes = List.copyOf(attributes);
        if (attributes.isEmpty()) {
            throw new IllegalArgumentException("an identity needs at least one attribute");
        }
    }

    static Identity of(String importIdShape, String... attributes) {
        return new Identity(List.of(attributes), importIdShape);
    }

    /** The {@code id}: unknown at plan until every identity attribute is known. */
    TfValue id(TfValue.Obj v) {
        List<String> parts = new ArrayList<>(attributes.size());
        for (String a : attributes) {
            String part = Values.str(v, a);
            if (part == null) {
                return TfValue.UNKNOWN;
            }
            parts.add(part);
        }
        return TfValue.of(String.join("/", parts));
    }

    /**
     * The identity attributes read from an import id; {@code id} and everything else stay null for
     * the resource's refresh to fill (several resources tell an import by the null {@code id}).
     */
    List<TfValue.Obj> importState(String id, Diagnostics d) {
        if (id == null || id.split("/", -1).length != attributes.size() || id.contains("//") || id.startsWith("/")
                || id.endsWith("/")) {
            d.error("Invalid import id", "Expected " + importIdShape + ", got '" + id + "'.");
            return List.of();
        }
        String[] parts = id.split("/");
        Map<String, TfValue> state = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            state.put(attributes.get(i), TfValue.of(parts[i]));
        }
        return List.of(TfValue.obj(state));
    }
}
