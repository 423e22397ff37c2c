package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DirectoryServiceAccountStatus extends ProxplaneStatus {
    public Long registryId;
    public String name;
    public Boolean hasPassword;
    /** The Secret resourceVersion the stored password hash was taken from. */
    public String passwordSecretVersion;
}
