package io.proxplane.core.engine;

import java.util.List;

/**
 * A site observed in bulk: every container's status, the drift found, the orphans (guests carrying
 * this registry's and this site's tag that no registry row owns at that vmid), the foreign guests
 * (everything else on the site's clusters: untagged, another site's, another registry's, or a
 * legacy tag not proven ours — reported, never touched), and the actions a resync took.
 */
public record SiteObservation(String site, List<ContainerStatus> containers, List<Drift> drift, List<Integer> orphanVmids,
                              List<ForeignGuest> foreign, List<Action> actions) {

    /** A guest on the site's clusters that is not this site's to manage, and why. */
    public record ForeignGuest(int vmid, String reason) {}

    public SiteObservation {
        containers = List.copyOf(containers);
        drift = List.copyOf(drift);
        orphanVmids = List.copyOf(orphanVmids);
        foreign = List.copyOf(foreign);
        actions = List.copyOf(actions);
    }

    /** An observation without foreign guests (front-door tests build these). */
    public SiteObservation(String site, List<ContainerStatus> containers, List<Drift> drift, List<Integer> orphanVmids,
                           List<Action> actions) {
        this(site, containers, drift, orphanVmids, List.of(), actions);
    }

    /** Foreign guests are not drift: a shared cluster converges with other people's guests on it. */
    public boolean converged() {
        return drift.isEmpty() && orphanVmids.isEmpty();
    }
}
