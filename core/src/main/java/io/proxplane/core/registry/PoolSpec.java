package io.proxplane.core.registry;

import java.util.List;

/** A pool with quotas; a null quota means unlimited. */
public record PoolSpec(String name, Integer maxContainers, Integer maxCores, Long maxMemoryMb, Long maxDiskGb,
                       List<AclGrant> aclGrants) {
    public PoolSpec {
        aclGrants = aclGrants == null ? List.of() : List.copyOf(aclGrants);
    }
}
