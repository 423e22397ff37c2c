package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class UserStatus extends ProxplaneStatus {
    public Long registryId;
    public String username;
    public Integer uid;
    public List<String> groups;
    public Boolean hasPassword;
    /** The Secret resourceVersion the stored password hash was taken from. */
    public String passwordSecretVersion;
}
