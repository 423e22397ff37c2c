package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Mirrors the engine's {@code ServiceAccountSpec}; the password comes from a Secret, never from the spec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DirectoryServiceAccountSpec {
    /** The account's name (uid=&lt;name&gt;,ou=services); defaults to metadata.name. Cannot change. */
    @JsonPropertyDescription("The account's name (uid=<name>,ou=services); defaults to metadata.name. Cannot change.")
    @Size(max = 32)
    @Pattern(Names.POSIX_NAME)
    @ValidationRule(value = "self == oldSelf", message = "name is immutable; delete and recreate the DirectoryServiceAccount")
    public String name;

    @JsonPropertyDescription("What the account is for (one line).")
    @Size(max = 256)
    @Pattern("^[^\\x00-\\x1f\\x7f]*$")
    public String description;

    /** The Secret key holding the clear-text password, 16 characters or more (key {@code password} when not given). */
    @JsonPropertyDescription("The Secret key holding the clear-text password, 16 characters or more (key 'password' when not given).")
    @Required
    public SecretKeyRef passwordSecretRef;
}
