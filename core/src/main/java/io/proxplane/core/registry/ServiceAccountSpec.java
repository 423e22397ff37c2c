package io.proxplane.core.registry;

/**
 * A bind identity for SSSD/nslcd, served by the LDAP gateway at uid=&lt;name&gt;,ou=services.
 * {@code passwordHash} is an argon2id hash, never clear text.
 */
public record ServiceAccountSpec(String name, String description, String passwordHash) {
    @Override
    public String toString() {
        return "ServiceAccountSpec[name=" + name + ", description=" + description + ", passwordHash="
                + (passwordHash == null ? "null" : "(set)") + "]";
    }
}
