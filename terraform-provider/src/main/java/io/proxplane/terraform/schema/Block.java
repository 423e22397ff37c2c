package io.proxplane.terraform.schema;

import io.proxplane.terraform.value.TfType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A block: attributes plus nested block types. Its value is an object of both. */
public record Block(List<Attribute> attributes, List<NestedBlock> blockTypes, String description) {

    public Block {
        attributes = List.copyOf(attributes);
        blockTypes = List.copyOf(blockTypes);
        description = description == null ? "" : description;
        var seen = new java.util.HashSet<String>();
        for (Attribute a : attributes) {
            if (!seen.add(a.name())) {
                throw new IllegalArgumentException("duplicate name '" + a.name() + "'");
            }
        }
        for (NestedBlock b : blockTypes) {
            if (!seen.add(b.typeName())) {
                throw new IllegalArgumentException("duplicate name '" + b.typeName() + "'");
            }
        }
    }

    public static Block of(String description, Attribute... attributes) {
        return new Block(List.of(attributes), List.of(), description);
    }

    public TfType.ObjectOf impliedType() {
        Map<String, TfType> types = new LinkedHashMap<>();
        attributes.forEach(a -> types.put(a.name(), a.type()));
        blockTypes.forEach(b -> types.put(b.typeName(), b.impliedType()));
        return TfType.objectOf(types);
    }

    public Optional<Attribute> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
