package io.proxplane.core.registry;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

public record AuditEntry(long id, Instant at, String actor, String action, String objectKind, String objectId,
                         Long revision, JsonNode detail) {}
