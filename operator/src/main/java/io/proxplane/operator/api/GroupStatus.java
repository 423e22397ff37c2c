package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GroupStatus extends ProxplaneStatus {
    @JsonPropertyDescription("The group's id in the proxplane registry.")
    public Long registryId;
    @JsonPropertyDescription("The POSIX group name.")
    public String name;
    @JsonPropertyDescription("The group id.")
    public Integer gid;
    @JsonPropertyDescription("Usernames of its members.")
    public List<String> members;
}
