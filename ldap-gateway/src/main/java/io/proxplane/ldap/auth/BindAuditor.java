package io.proxplane.ldap.auth;

/** Receives a record of every bind. Implementations must not block for long; they run on the bind path. */
public interface BindAuditor {
    void record(BindAuditEvent event);
}
