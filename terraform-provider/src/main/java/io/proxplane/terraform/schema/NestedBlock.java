package io.proxplane.terraform.schema;

import io.proxplane.terraform.value.TfType;
import java.util.Objects;

/** A nested block type ({@code site { ... }}) and how many of it may appear. */
public record NestedBlock(String typeName, Block block, Nesting nesting, int minItems, int maxItems) {

    public enum Nesting { SINGLE, LIST, SET, MAP, GROUP }

    public NestedBlock {
        Objects.requireNonNull(typeName, "typeName");
        if (!Attribute.NAME.matcher(typeName).matches()) {
            throw new IllegalArgumentException("block name '" + typeName + "': only a-z, 0-9 and _ allowed");
        }
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(nesting, "nesting");
        if (minItems < 0 || (maxItems != 0 && maxItems < minItems)) {
            throw new IllegalArgumentException("block " + typeName + ": need 0 <= min_items <= max_items (0 = unlimited)");
        }
    }

    /** The wire type of this block's value within its parent object. */
    public TfType impliedType() {
        TfType element = block.impliedType();
        return switch (nesting) {
            case SINGLE, GROUP -> element;
            case LIST -> TfType.listOf(element);
            case SET -> TfType.setOf(element);
            case MAP -> TfType.mapOf(element);
        };
    }
}
