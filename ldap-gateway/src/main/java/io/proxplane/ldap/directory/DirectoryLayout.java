package io.proxplane.ldap.directory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;

/** Where entries live: users at uid=&lt;name&gt;,ou=people, groups at cn=&lt;name&gt;,ou=groups, service accounts at ou=services. */
public final class DirectoryLayout {
    private final DN base;
    private final DN people;
    private final DN groups;
    private final DN services;
    private final boolean userPrivateGroups;

    public DirectoryLayout(String baseDn, boolean userPrivateGroups) {
        try {
            this.base = new DN(baseDn);
        } catch (LDAPException e) {
            throw new IllegalArgumentException("base DN '" + baseDn + "' is not a valid DN: " + e.getMessage(), e);
        }
        if (base.isNullDN()) throw new IllegalArgumentException("base DN must not be empty");
        this.people = new DN(new RDN("ou", "people"), base);
        this.groups = new DN(new RDN("ou", "groups"), base);
        this.services = new DN(new RDN("ou", "services"), base);
        this.userPrivateGroups = userPrivateGroups;
    }

    /** Derives dc=a,dc=b,dc=c from a.b.c, as the seed derived its base from the site's internal domain. */
    public static String baseDnForDomain(String domain) {
        StringBuilder sb = new StringBuilder();
        for (String label : domain.split("\\.")) {
            if (label.isEmpty()) throw new IllegalArgumentException("domain '" + domain + "' has an empty label");
            if (!sb.isEmpty()) sb.append(',');
            sb.append("dc=").append(label);
        }
        return sb.toString();
    }

    public DN base() {
        return base;
    }

    public DN people() {
        return people;
    }

    public DN groups() {
        return groups;
    }

    public DN services() {
        return services;
    }

    public boolean userPrivateGroups() {
        return userPrivateGroups;
    }

    public DN userDn(String uid) {
        return new DN(new RDN("uid", uid), people);
    }

    public DN groupDn(String name) {
        return new DN(new RDN("cn", name), groups);
    }

    public DN serviceDn(String name) {
        return new DN(new RDN("uid", name), services);
    }
}
