package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class UserStatus extends ProxplaneStatus {
    public Long registryId;
    public String username;
    public Integer uid;
    /** The primary gid: spec.primaryGroup's gid, else the user's private group's (named after the user). */
    public Integer gid;
    public String primaryGroup;
    public List<String> groups;
    public Boolean hasPassword;
    /** The Secret resourceVersion the stored password hash was taken from. */
    public String passwordSecretVersion;
}
