package io.proxplane.operator.api;

import io.fabric8.generator.annotation.Default;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/** Mirrors the engine's {@code UserSpec}; the password comes from a Secret, never from the spec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UserSpec {
    /** POSIX user name; defaults to metadata.name. Cannot change: it names the account everywhere. */
    @Size(max = 32)
    @Pattern(Names.POSIX_NAME)
    @ValidationRule(value = "self == oldSelf", message = "username is immutable; delete and recreate the User")
    @JsonPropertyDescription("POSIX login name; default metadata.name; immutable.")
    public String username;

    @Size(max = 256)
    @Pattern("^[^\\x00-\\x1f\\x7f]*$")
    @JsonPropertyDescription("Given name.")
    public String givenName;

    @Size(max = 256)
    @Pattern("^[^\\x00-\\x1f\\x7f]*$")
    @JsonPropertyDescription("Surname.")
    public String surname;

    @Size(max = 254)
    @Pattern(Names.MAIL)
    @JsonPropertyDescription("E-mail address.")
    public String mail;

    /** Login shell, {@code /bin/bash} when empty. */
    @Size(max = 256)
    @Pattern("^/[A-Za-z0-9_./-]{0,255}$")
    @JsonPropertyDescription("Login shell, e.g. /bin/bash.")
    public String shell;

    @Size(max = 64)
    @JsonPropertyDescription("SSH public keys (OpenSSH format) for logging in to the containers.")
    public List<@Size(max = 16384) @Pattern("^[^\\x00-\\x1f\\x7f]+$") String> sshKeys;

    /** The Secret key holding the clear-text password (key {@code password} when not given). */
    @JsonPropertyDescription("Secret with the password (key default password); stored only as a hash.")
    public SecretKeyRef passwordSecretRef;

    @JsonPropertyDescription("Active (default) or Suspended (logins refused).")
    @Default("Active") // the API server fills it in, so the STATUS column shows it
    public AccountStatus status;

    @JsonPropertyDescription("None (default) or Push.")
    public TwoFactorMode twoFactorMode;

    /** Group names the user belongs to besides those whose Group lists it. */
    @Size(max = 256)
    @JsonPropertyDescription("Names of Groups the user belongs to besides its own.")
    public List<@Size(max = 32) @Pattern(Names.POSIX_NAME) String> extraGroups;

    /**
     * The group whose gid is the user's primary gid (owner group of its files). Empty: the user's own
     * private group, named after the user, with a gid no other group has.
     */
    @JsonPropertyDescription("A Group whose gid becomes the user's primary gid; empty: the user's own private group.")
    @Size(max = 32)
    @Pattern(Names.POSIX_NAME)
    public String primaryGroup;

    public enum AccountStatus { Active, Suspended }

    public enum TwoFactorMode { None, Push }
}
