package io.proxplane.operator.reconcile;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A successful converge: the kind's status fields, what the engine did, a one-line summary, more
 * conditions than Ready (e.g. a service's EdgeApplied), and when to look again while one of them
 * is still progressing.
 */
public record Applied<S>(S status, List<String> actions, String message, List<Extra> conditions, Optional<Duration> recheck) {
    public Applied {
        actions = List.copyOf(actions);
        conditions = List.copyOf(conditions);
    }

    public Applied(S status, List<String> actions, String message) {
        this(status, actions, message, List.of(), Optional.empty());
    }

    /** The same result, reconciled again after {@code after}. */
    public Applied<S> withRecheck(Duration after) {
        return new Applied<>(status, actions, message, conditions, Optional.of(after));
    }

    /** A condition besides Ready. */
    public record Extra(String type, boolean status, String reason, String message) {}
}
