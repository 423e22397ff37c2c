package io.proxplane.ldap.directory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A user as the gateway serves it. {@code passwordHash} is a crypt/PHC-style string (argon2id,
 * bcrypt, SHA-crypt, {SSHA}) or null when the user has no password (cannot bind).
 * {@code privateGroupGid} is the gid of the user's private group (named after it), served when user
 * private groups are on; null means {@code gidNumber} (the directory-file convention gid = uid).
 */
public record DirectoryUser(
        String uid,
        long uidNumber,
        long gidNumber,
        String givenName,
        String surname,
        String displayName,
        String mail,
        String loginShell,
        String homeDirectory,
        List<String> sshPublicKeys,
        String passwordHash,
        AccountStatus status,
        SecondFactor secondFactor,
        Instant passwordChangedAt,
        Instant modifiedAt,
        Long privateGroupGid) {

    public DirectoryUser {
        Names.requireName("uid", uid);
        if (uidNumber <= 0) throw new IllegalArgumentException("uidNumber of " + uid + " must be positive, got " + uidNumber);
        if (gidNumber <= 0) throw new IllegalArgumentException("gidNumber of " + uid + " must be positive, got " + gidNumber);
        sshPublicKeys = sshPublicKeys == null ? List.of() : List.copyOf(sshPublicKeys);
        status = Objects.requireNonNullElse(status, AccountStatus.ACTIVE);
        secondFactor = Objects.requireNonNullElse(secondFactor, SecondFactor.NONE);
        loginShell = blankToNull(loginShell) == null ? "/bin/bash" : loginShell;
        homeDirectory = blankToNull(homeDirectory) == null ? "/home/" + uid : homeDirectory;
        modifiedAt = Objects.requireNonNullElse(modifiedAt, Instant.EPOCH);
        if (privateGroupGid != null && privateGroupGid <= 0)
            throw new IllegalArgumentException("private group gid of " + uid + " must be positive, got " + privateGroupGid);
    }

    /** A user without a private gid of its own (its private group, if served, has gid {@code gidNumber}). */
    public DirectoryUser(String uid, long uidNumber, long gidNumber, String givenName, String surname, String displayName,
                         String mail, String loginShell, String homeDirectory, List<String> sshPublicKeys,
                         String passwordHash, AccountStatus status, SecondFactor secondFactor, Instant passwordChangedAt,
                         Instant modifiedAt) {
        this(uid, uidNumber, gidNumber, givenName, surname, displayName, mail, loginShell, homeDirectory, sshPublicKeys,
                passwordHash, status, secondFactor, passwordChangedAt, modifiedAt, null);
    }

    /** The gid of the user's private group. */
    public long privateGid() {
        return privateGroupGid == null ? gidNumber : privateGroupGid;
    }

    /** A minimal active user; convenient for tests and seed files. */
    public static DirectoryUser of(String uid, long uidNumber, long gidNumber, String passwordHash) {
        return new DirectoryUser(uid, uidNumber, gidNumber, null, null, null, null, null, null, List.of(),
                passwordHash, AccountStatus.ACTIVE, SecondFactor.NONE, null, null);
    }

    /** The common name: the display name, else "given surname", else the uid. */
    public String commonName() {
        if (blankToNull(displayName) != null) return displayName;
        String joined = ((givenName == null ? "" : givenName) + " " + (surname == null ? "" : surname)).trim();
        return joined.isEmpty() ? uid : joined;
    }

    public DirectoryUser withStatus(AccountStatus newStatus) {
        return new DirectoryUser(uid, uidNumber, gidNumber, givenName, surname, displayName, mail, loginShell,
                homeDirectory, sshPublicKeys, passwordHash, newStatus, secondFactor, passwordChangedAt, modifiedAt, privateGroupGid);
    }

    public DirectoryUser withSecondFactor(SecondFactor factor) {
        return new DirectoryUser(uid, uidNumber, gidNumber, givenName, surname, displayName, mail, loginShell,
                homeDirectory, sshPublicKeys, passwordHash, status, factor, passwordChangedAt, modifiedAt, privateGroupGid);
    }

    public DirectoryUser withPassword(String newHash, Instant changedAt) {
        return new DirectoryUser(uid, uidNumber, gidNumber, givenName, surname, displayName, mail, loginShell,
                homeDirectory, sshPublicKeys, newHash, status, secondFactor, changedAt, changedAt, privateGroupGid);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
