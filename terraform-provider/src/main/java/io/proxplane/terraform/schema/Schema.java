package io.proxplane.terraform.schema;

import io.proxplane.terraform.value.TfType;
import java.util.Objects;

/** A versioned block: the schema of the provider, a resource type or a data source. */
public record Schema(long version, Block block) {

    public Schema {
        Objects.requireNonNull(block, "block");
    }

    public static Schema of(Block block) {
        return new Schema(0, block);
    }

    public TfType.ObjectOf type() {
        return block.impliedType();
    }
}
