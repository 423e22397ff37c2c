package io.proxplane.core.engine;

import java.util.List;

/**
 * A site observed in bulk: every container's status, the drift found, guests tagged by proxplane
 * that no registry row owns (orphans), and the actions a resync took to correct it.
 */
public record SiteObservation(String site, List<ContainerStatus> containers, List<Drift> drift, List<Integer> orphanVmids,
                              List<Action> actions) {
    public SiteObservation {
        containers = List.copyOf(containers);
        drift = List.copyOf(drift);
        orphanVmids = List.copyOf(orphanVmids);
        actions = List.copyOf(actions);
    }

    public boolean converged() {
        return drift.isEmpty() && orphanVmids.isEmpty();
    }
}
