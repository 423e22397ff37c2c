package io.proxplane.operator.reconcile;

import java.util.List;

/** A successful converge: the kind's status fields, what the engine did, and a one-line summary. */
public record Applied<S>(S status, List<String> actions, String message) {
    public Applied {
        actions = List.copyOf(actions);
    }
}
