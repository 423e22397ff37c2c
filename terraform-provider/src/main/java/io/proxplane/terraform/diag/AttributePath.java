package io.proxplane.terraform.diag;

import java.util.ArrayList;
import java.util.List;

/**
 * Where in a configuration a diagnostic points: attribute names, list indexes and map keys.
 * Set elements cannot be addressed (Terraform cannot name them), so paths stop at the set.
 */
public record AttributePath(List<Step> steps) {

    public static final AttributePath ROOT = new AttributePath(List.of());

    public AttributePath {
        steps = List.copyOf(steps);
    }

    public sealed interface Step {
    }

    public record AttributeName(String name) implements Step {
    }

    public record ElementKeyString(String key) implements Step {
    }

    public record ElementKeyInt(long index) implements Step {
    }

    public static AttributePath of(String attribute) {
        return ROOT.attribute(attribute);
    }

    public AttributePath attribute(String name) {
        return with(new AttributeName(name));
    }

    public AttributePath index(long index) {
        return with(new ElementKeyInt(index));
    }

    public AttributePath key(String key) {
        return with(new ElementKeyString(key));
    }

    private AttributePath with(Step step) {
        List<Step> copy = new ArrayList<>(steps);
        copy.add(step);
        return new AttributePath(copy);
    }

    /** Human form, e.g. {@code site[0].endpoint}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) {
            switch (s) {
                case AttributeName a -> sb.append(sb.isEmpty() ? "" : ".").append(a.name());
                case ElementKeyInt i -> sb.append('[').append(i.index()).append(']');
                case ElementKeyString k -> sb.append("[\"").append(k.key()).append("\"]");
            }
        }
        return sb.toString();
    }
}
