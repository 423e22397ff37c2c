package io.proxplane.ldap.directory;

/** Registry account status. Only {@link #ACTIVE} accounts may bind (seed defect: suspended users could). */
public enum AccountStatus {
    ACTIVE, PENDING, SUSPENDED;

    public boolean mayBind() {
        return this == ACTIVE;
    }
}
