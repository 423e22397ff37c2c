package io.proxplane.ldap.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each bind as one structured log line on the "proxplane.ldap.audit" logger. */
public final class LoggingBindAuditor implements BindAuditor {
    private static final Logger AUDIT = LoggerFactory.getLogger("proxplane.ldap.audit");

    @Override
    public void record(BindAuditEvent e) {
        AUDIT.info("bind outcome={} dn=\"{}\" principal={} client={} conn={} reason=\"{}\" scheme={}",
                e.outcome(), e.bindDn(), e.principal(), e.clientAddress(), e.connectionId(), e.reason(), e.hashScheme());
    }
}
