package io.proxplane.core.registry;

import java.util.List;

/**
 * A directory user. {@code uid} null asks the allocator for one; {@code passwordHash} is a hash
 * (argon2id, bcrypt, SHA-crypt, {SSHA}) or null, never a clear-text password.
 * {@code status} is "active" or "suspended"; {@code twofaMode} "none" or "push".
 */
public record UserSpec(String username, Integer uid, String givenName, String surname, String mail, String shell,
                       List<String> sshKeys, String passwordHash, String status, String twofaMode) {
    public UserSpec {
        shell = shell == null ? "/bin/bash" : shell;
        sshKeys = sshKeys == null ? List.of() : List.copyOf(sshKeys);
        status = status == null ? "active" : status;
        twofaMode = twofaMode == null ? "none" : twofaMode;
    }
}
