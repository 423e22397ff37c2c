package io.proxplane.core.registry;

import java.time.Instant;
import java.util.List;

/**
 * What an edge agent last reported: the registry revision it applied, or the error that stopped it,
 * and the objects it left out of that configuration (each with the reason; the rest was applied).
 */
public record EdgeAgentStatus(long id, String agentId, long siteId, Long appliedRevision, Instant appliedAt,
                              String lastError, Instant heartbeatAt, Instant updatedAt, List<Skipped> skipped) {

    public EdgeAgentStatus {
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
    }

    public EdgeAgentStatus(long id, String agentId, long siteId, Long appliedRevision, Instant appliedAt,
            String lastError, Instant heartbeatAt, Instant updatedAt) {
        this(id, agentId, siteId, appliedRevision, appliedAt, lastError, heartbeatAt, updatedAt, List.of());
    }

    /**
     * An object the edge could not serve. {@code kind}: {@code external domain}, {@code service}
     * or {@code container}; {@code name} as the registry holds it (domain name, or
     * {@code container/service}).
     */
    public record Skipped(String kind, String name, String reason) {}
}
