package io.proxplane.core.engine.spec;

import io.proxplane.core.model.ValidationException;

/**
 * A bind identity for SSSD or nslcd in a container, served by the LDAP gateway at
 * {@code uid=<name>,ou=services,<base>}. It may bind and search, is never asked for a second
 * factor and is not a user (no login, not listed with the users). {@code password} is write-only
 * clear text (from a Secret or a sensitive Terraform attribute); the engine stores only its
 * argon2id hash. Null keeps the current hash (a new service account needs one).
 */
public record ServiceAccountSpec(String name, String description, String password) {
    public ServiceAccountSpec {
        name = Check.posixName("name", name);
        description = Check.singleLine("description", description, 256);
        if (password != null && (password.length() < 16 || password.length() > 1024)) {
            // A machine secret written once into sssd.conf/nslcd.conf: no reason for a short one.
            throw new ValidationException("password", "must have 16 to 1024 characters");
        }
        if (password != null && password.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new ValidationException("password", "must not contain control characters (newline, tab, NUL, ...)");
        }
    }

    @Override
    public String toString() {
        // The clear-text password must never reach a log line.
        return "ServiceAccountSpec[name=" + name + ", description=" + description + ", password="
                + (password == null ? "null" : "***") + "]";
    }
}
