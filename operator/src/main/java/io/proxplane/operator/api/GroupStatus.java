package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GroupStatus extends ProxplaneStatus {
    public Long registryId;
    public String name;
    public Integer gid;
    public List<String> members;
}
