package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/** Mirrors the engine's {@code GroupSpec}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GroupSpec {
    /** POSIX group name; defaults to metadata.name. */
    @Size(max = 32)
    @Pattern(Names.POSIX_NAME)
    @ValidationRule(value = "self == oldSelf", message = "name is immutable; delete and recreate the Group")
    @JsonPropertyDescription("POSIX group name; default metadata.name; immutable.")
    public String name;

    /** Fixed gid; empty lets the allocator pick one. */
    @Min(1000)
    @Max(2147483646)
    @JsonPropertyDescription("Group id (1000 or more); allocated when empty.")
    public Integer gid;

    /** Usernames of the members. */
    @Size(max = 4096)
    @JsonPropertyDescription("Usernames of Users in the group. Declare a membership here or in the User's extraGroups, not both.")
    public List<@Size(max = 32) @Pattern(Names.POSIX_NAME) String> members;

    /** Members administer the platform (sudo in containers). */
    @JsonPropertyDescription("Members get administrator rights (sudo) in the containers.")
    public Boolean admin;
}
