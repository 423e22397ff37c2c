package io.proxplane.terraform.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An accumulating list of diagnostics; handlers add to it and the adapters put it on the wire. */
public final class Diagnostics {

    private final List<Diagnostic> items = new ArrayList<>();

    public Diagnostics add(Diagnostic d) {
        items.add(d);
        return this;
    }

    public Diagnostics addAll(Diagnostics other) {
        items.addAll(other.items);
        return this;
    }

    public Diagnostics error(AttributePath path, String summary, String detail) {
        return add(Diagnostic.error(path, summary, detail));
    }

    public Diagnostics error(String summary, String detail) {
        return add(Diagnostic.error(summary, detail));
    }

    public boolean hasErrors() {
        return items.stream().anyMatch(Diagnostic::isError);
    }

    public List<Diagnostic> all() {
        return Collections.unmodifiableList(items);
    }

    @Override
    public String toString() {
        return items.toString();
    }
}
