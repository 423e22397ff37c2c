package io.proxplane.core.engine;

import java.util.List;

/**
 * The outcome of a container converge: the observed status, the actions taken (empty when it was
 * already converged), fields that can only change by replacing the container, settings Proxmox
 * holds as pending until the next restart, and the drift that was found.
 */
public record ContainerResult(ContainerStatus status, List<Action> actions, List<String> replacementRequired,
                              List<String> pendingRestart, List<Drift> drift) {
    public ContainerResult {
        actions = List.copyOf(actions);
        replacementRequired = List.copyOf(replacementRequired);
        pendingRestart = List.copyOf(pendingRestart);
        drift = List.copyOf(drift);
    }

    public boolean changed() {
        return !actions.isEmpty();
    }
}
