package io.proxplane.ldap.directory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A user as the gateway serves it. {@code passwordHash} is a crypt/PHC-style string (argon2id,
 * bcrypt, SHA-crypt, {SSHA}) or null when the user has no password (cannot bind).
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
        Instant modifiedAt) {

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
                homeDirectory, sshPublicKeys, passwordHash, newStatus, secondFactor, passwordChangedAt, modifiedAt);
    }

    public DirectoryUser withSecondFactor(SecondFactor factor) {
        return new DirectoryUser(uid, uidNumber, gidNumber, givenName, surname, displayName, mail, loginShell,
                homeDirectory, sshPublicKeys, passwordHash, status, factor, passwordChangedAt, modifiedAt);
    }

    public DirectoryUser withPassword(String newHash, Instant changedAt) {
        return new DirectoryUser(uid, uidNumber, gidNumber, givenName, surname, displayName, mail, loginShell,
                homeDirectory, sshPublicKeys, newHash, status, secondFactor, changedAt, changedAt);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
