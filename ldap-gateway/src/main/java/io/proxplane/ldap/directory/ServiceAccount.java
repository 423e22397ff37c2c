package io.proxplane.ldap.directory;

/**
 * A lookup identity (e.g. one per container) served at uid=&lt;name&gt;,ou=services,&lt;base&gt;.
 * Service accounts may bind and search, are never asked for a second factor and carry no POSIX data.
 */
public record ServiceAccount(String name, String passwordHash) {
    public ServiceAccount {
        Names.requireName("service account name", name);
        if (passwordHash == null || passwordHash.isBlank())
            throw new IllegalArgumentException("passwordHash of service account " + name + " is required");
    }
}
