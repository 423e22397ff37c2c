package io.proxplane.core.registry;

import java.time.Instant;

/** What an edge agent last reported: the registry revision it applied, or the error that stopped it. */
public record EdgeAgentStatus(long id, String agentId, long siteId, Long appliedRevision, Instant appliedAt,
                              String lastError, Instant heartbeatAt, Instant updatedAt) {}
