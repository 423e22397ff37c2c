package io.proxplane.operator.mapping;

import io.proxplane.core.registry.EdgeAgentStatus;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether the site's edge serves a service yet: an edge agent reports the registry revision whose
 * snapshot it rendered, validated and loaded; revisions follow commit order, so an applied
 * revision at or past the service row's revision includes the service. Pure.
 */
public record EdgeProgress(boolean applied, String reason, String message) {
    public static final String TYPE = "EdgeApplied";

    public static EdgeProgress of(long serviceRevision, List<EdgeAgentStatus> agents) {
        if (agents.isEmpty()) {
            return new EdgeProgress(false, "NoEdgeAgent", "no edge agent reports for this site; the route is recorded in "
                    + "the registry (revision " + serviceRevision + ") and is served once an edge agent applies it");
        }
        Optional<EdgeAgentStatus> done = agents.stream()
                .filter(a -> a.appliedRevision() != null && a.appliedRevision() >= serviceRevision)
                .min(Comparator.comparing(EdgeAgentStatus::agentId));
        if (done.isPresent()) {
            return new EdgeProgress(true, "Applied", "edge agent " + done.get().agentId() + " serves revision "
                    + done.get().appliedRevision() + " (service at " + serviceRevision + ")");
        }
        Optional<EdgeAgentStatus> failing = agents.stream().filter(a -> a.lastError() != null)
                .min(Comparator.comparing(EdgeAgentStatus::agentId));
        if (failing.isPresent()) {
            return new EdgeProgress(false, "EdgeError", "edge agent " + failing.get().agentId() + " cannot apply: "
                    + failing.get().lastError());
        }
        long newest = agents.stream().map(EdgeAgentStatus::appliedRevision).filter(r -> r != null).mapToLong(Long::longValue)
                .max().orElse(0);
        return new EdgeProgress(false, "Pending", "edge agents serve revision " + newest + ", the service is at "
                + serviceRevision);
    }
}
