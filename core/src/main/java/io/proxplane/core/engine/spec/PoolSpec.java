package io.proxplane.core.engine.spec;

import io.proxplane.core.model.ValidationException;

import java.util.List;

/** A pool with quotas (null = unlimited) and Proxmox roles granted on it to groups or users. */
public record PoolSpec(String name, Quotas quotas, List<AclGrant> aclGrants) {

    public record Quotas(Integer maxContainers, Integer maxCores, Long maxMemoryMb, Long maxDiskGb) {
        public static final Quotas UNLIMITED = new Quotas(null, null, null, null);

        public Quotas {
            if (maxContainers != null) Check.range("quotas.maxContainers", maxContainers, 0, Integer.MAX_VALUE);
            if (maxCores != null) Check.range("quotas.maxCores", maxCores, 0, Integer.MAX_VALUE);
            if (maxMemoryMb != null) Check.range("quotas.maxMemoryMb", maxMemoryMb, 0, Long.MAX_VALUE);
            if (maxDiskGb != null) Check.range("quotas.maxDiskGb", maxDiskGb, 0, Long.MAX_VALUE);
        }
    }

    /** Exactly one of {@code group} and {@code user}; {@code role} a Proxmox role such as PVEVMUser. */
    public record AclGrant(String group, String user, String role) {
        public AclGrant {
            if ((group == null) == (user == null)) {
                throw new ValidationException("aclGrants.group", "exactly one of group and user must be set");
            }
            if (group != null) Check.posixName("aclGrants.group", group);
            if (user != null) Check.posixName("aclGrants.user", user);
            Check.required("aclGrants.role", role);
            if (!Check.ROLE.matcher(role).matches()) {
                throw new ValidationException("aclGrants.role", "must be a Proxmox role name like PVEVMUser");
            }
        }
    }

    public PoolSpec {
        name = Check.label("name", name);
        quotas = quotas == null ? Quotas.UNLIMITED : quotas;
        aclGrants = aclGrants == null ? List.of() : List.copyOf(aclGrants);
        if (aclGrants.stream().distinct().count() != aclGrants.size()) {
            throw new ValidationException("aclGrants", "lists the same grant twice");
        }
    }
}
