package io.proxplane.core.registry;

import java.util.List;

/**
 * A directory user. {@code uid} null asks the allocator for one; {@code passwordHash} is a hash
 * (argon2id, bcrypt, SHA-crypt, {SSHA}) or null, never a clear-text password.
 * {@code status} is "active" or "suspended"; {@code twofaMode} "none" or "push".
 * {@code privateGid} is the gid of the user's private group (null: the uid when no group holds
 * that gid, else the lowest free gid; kept once set). {@code primaryGroupId} names the group that
 * is the user's primary group; null makes the private group its primary group.
 */
public record UserSpec(String username, Integer uid, String givenName, String surname, String mail, String shell,
                       List<String> sshKeys, String passwordHash, String status, String twofaMode,
                       Integer privateGid, Long primaryGroupId) {
    public UserSpec {
        shell = shell == null ? "/bin/bash" : shell;
        sshKeys = sshKeys == null ? List.of() : List.copyOf(sshKeys);
        status = status == null ? "active" : status;
        twofaMode = twofaMode == null ? "none" : twofaMode;
    }

    /** A user with its private group as primary group and the private gid chosen by the registry. */
    public UserSpec(String username, Integer uid, String givenName, String surname, String mail, String shell,
                    List<String> sshKeys, String passwordHash, String status, String twofaMode) {
        this(username, uid, givenName, surname, mail, shell, sshKeys, passwordHash, status, twofaMode, null, null);
    }
}
