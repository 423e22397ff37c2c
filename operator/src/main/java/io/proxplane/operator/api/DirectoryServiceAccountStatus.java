package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DirectoryServiceAccountStatus extends ProxplaneStatus {
    @JsonPropertyDescription("The account's id in the proxplane registry.")
    public Long registryId;
    @JsonPropertyDescription("The account's name (uid=<name>,ou=services).")
    public String name;
    @JsonPropertyDescription("A password is set.")
    public Boolean hasPassword;
    /** The Secret resourceVersion the stored password hash was taken from. */
    @JsonPropertyDescription("resourceVersion of the password Secret last hashed.")
    public String passwordSecretVersion;
}
