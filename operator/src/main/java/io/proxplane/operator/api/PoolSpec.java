package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/** Mirrors the engine's {@code PoolSpec}; the pool's name is {@code metadata.name}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolSpec {
    /** Empty quotas are unlimited. */
    @JsonPropertyDescription("Limits for the pool's containers together; an empty field means unlimited.")
    public Quotas quotas;

    @Size(max = 64)
    // duplicates are refused by the engine (quadratic CEL over objects would eat the cost budget)
    @JsonPropertyDescription("Proxmox roles granted on the pool, each to a group or a user.")
    public List<AclGrant> aclGrants;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Quotas {
        @Min(0)
        @JsonPropertyDescription("Most containers in the pool.")
        public Integer maxContainers;
        @Min(0)
        @JsonPropertyDescription("Most CPU cores in total.")
        public Integer maxCores;
        @Min(0)
        @JsonPropertyDescription("Most memory in MiB in total.")
        public Long maxMemoryMb;
        @Min(0)
        @JsonPropertyDescription("Most root disk in GiB in total.")
        public Long maxDiskGb;
    }

    /** Exactly one of group and user gets {@code role} on {@code /pool/<name>}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.group) != has(self.user)", message = "exactly one of group and user must be set")
    public static class AclGrant {
        @Size(max = 32)
        @Pattern(Names.POSIX_NAME)
        @JsonPropertyDescription("A Group's POSIX name (exactly one of group and user).")
        public String group;

        @Size(max = 32)
        @Pattern(Names.POSIX_NAME)
        @JsonPropertyDescription("A User's username (exactly one of group and user).")
        public String user;

        /** A Proxmox role such as PVEVMUser. */
        @Required
        @Size(max = 64)
        @Pattern("^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
        @JsonPropertyDescription("The Proxmox role, e.g. PVEVMUser.")
        public String role;
    }
}
