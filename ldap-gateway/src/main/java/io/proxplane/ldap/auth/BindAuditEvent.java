package io.proxplane.ldap.auth;

import java.time.Instant;

/**
 * One bind attempt. {@code reason} is the internal cause (e.g. "unknown account", "suspended"),
 * recorded for operators but never sent to the client, which sees the same answer for all failures.
 */
public record BindAuditEvent(Instant at, String bindDn, String principal, String clientAddress, long connectionId,
                             BindOutcome outcome, String reason, String hashScheme) {
}
