package io.proxplane.ldap.directory;

import java.util.List;

/** One consistent read of the directory's source data. */
public record DirectoryData(List<DirectoryUser> users, List<DirectoryGroup> groups, List<ServiceAccount> serviceAccounts) {
    public DirectoryData {
        users = List.copyOf(users);
        groups = List.copyOf(groups);
        serviceAccounts = serviceAccounts == null ? List.of() : List.copyOf(serviceAccounts);
    }
}
