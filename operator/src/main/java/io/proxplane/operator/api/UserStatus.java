package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class UserStatus extends ProxplaneStatus {
    @JsonPropertyDescription("The user's id in the proxplane registry.")
    public Long registryId;
    @JsonPropertyDescription("The POSIX login name.")
    public String username;
    @JsonPropertyDescription("The user id.")
    public Integer uid;
    @JsonPropertyDescription("The primary gid: spec.primaryGroup's gid, else the user's private group's (named after the user).")
    public Integer gid;
    @JsonPropertyDescription("The group whose gid is the primary gid; empty: the user's private group.")
    public String primaryGroup;
    @JsonPropertyDescription("Groups the user is a member of.")
    public List<String> groups;
    @JsonPropertyDescription("A password is set.")
    public Boolean hasPassword;
    /** The Secret resourceVersion the stored password hash was taken from. */
    @JsonPropertyDescription("resourceVersion of the password Secret last hashed.")
    public String passwordSecretVersion;
}
