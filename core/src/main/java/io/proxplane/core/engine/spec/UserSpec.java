package io.proxplane.core.engine.spec;

import io.proxplane.core.model.ValidationException;

import java.util.List;

/**
 * A directory user. {@code password} is write-only clear text (from a Secret or a sensitive
 * Terraform attribute): the engine stores only its argon2id hash. Null keeps the current hash.
 * {@code primaryGroup} names the group that is the user's primary group (its gid in the user's
 * passwd entry); null makes the user's own private group (named after it) its primary group.
 */
public record UserSpec(String username, String givenName, String surname, String mail, String shell,
                       List<String> sshKeys, String password, Status status, TwoFactorMode twoFactorMode,
                       List<String> extraGroups, String primaryGroup) {

    public enum Status { ACTIVE, SUSPENDED }

    public enum TwoFactorMode { NONE, PUSH }

    public UserSpec {
        username = Check.posixName("username", username);
        givenName = Check.singleLine("givenName", givenName, 256);
        surname = Check.singleLine("surname", surname, 256);
        if (mail != null && (mail.length() > 254 || !mail.matches("[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}]+"))) {
            throw new ValidationException("mail", "must be an e-mail address like alice@example.com");
        }
        shell = shell == null ? "/bin/bash" : shell;
        if (!shell.matches("/[A-Za-z0-9_./-]{0,255}")) {
            throw new ValidationException("shell", "must be an absolute path like /bin/bash");
        }
        // A public key file ends with a newline (ssh-keygen writes one; Terraform's file() and a YAML
        // block scalar keep it): one line end at the end is not part of the key, so it is dropped.
        sshKeys = sshKeys == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(
                sshKeys.stream().map(k -> k == null ? null : k.endsWith("\r\n") ? k.substring(0, k.length() - 2)
                        : k.endsWith("\n") ? k.substring(0, k.length() - 1) : k).toList()));
        Check.atMost("sshKeys", sshKeys, 100, "keys");
        for (int i = 0; i < sshKeys.size(); i++) {
            Check.singleLine("sshKeys[" + i + "]", Check.required("sshKeys[" + i + "]", sshKeys.get(i)), 16384);
        }
        if (password != null && (password.length() < 8 || password.length() > 1024)) {
            throw new ValidationException("password", "must have 8 to 1024 characters");
        }
        if (password != null && password.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            // not shown: it is a secret
            throw new ValidationException("password", "must not contain control characters (newline, tab, NUL, ...)");
        }
        status = status == null ? Status.ACTIVE : status;
        twoFactorMode = twoFactorMode == null ? TwoFactorMode.NONE : twoFactorMode;
        extraGroups = extraGroups == null ? List.of() : List.copyOf(extraGroups);
        for (int i = 0; i < extraGroups.size(); i++) {
            Check.posixName("extraGroups[" + i + "]", extraGroups.get(i));
        }
        if (primaryGroup != null) {
            Check.posixName("primaryGroup", primaryGroup);
            if (primaryGroup.equals(username)) {
                throw new ValidationException("primaryGroup", "is the user's own private group, which is the default: leave it empty");
            }
        }
    }

    /** A user whose primary group is its private group. */
    public UserSpec(String username, String givenName, String surname, String mail, String shell,
                    List<String> sshKeys, String password, Status status, TwoFactorMode twoFactorMode,
                    List<String> extraGroups) {
        this(username, givenName, surname, mail, shell, sshKeys, password, status, twoFactorMode, extraGroups, null);
    }

    @Override
    public String toString() {
        // The clear-text password must never reach a log line.
        return "UserSpec[username=" + username + ", status=" + status + ", twoFactorMode=" + twoFactorMode
                + ", extraGroups=" + extraGroups + ", primaryGroup=" + primaryGroup + ", password=" + (password == null ? "null" : "***") + "]";
    }
}
