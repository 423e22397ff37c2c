package io.proxplane.operator.api;

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
    public String name;

    /** Fixed gid; empty lets the allocator pick one. */
    @Min(1000)
    @Max(2147483646)
    public Integer gid;

    /** Usernames of the members. */
    @Size(max = 4096)
    public List<@Size(max = 32) @Pattern(Names.POSIX_NAME) String> members;

    /** Members administer the platform (sudo in containers). */
    public Boolean admin;
}
