package io.proxplane.ldap.directory;

import java.time.Instant;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/** A group with its gid and the uids of its explicit members. */
public record DirectoryGroup(String name, long gidNumber, SortedSet<String> memberUids, Instant modifiedAt) {

    public DirectoryGroup {
        Names.requireName("group name", name);
        if (gidNumber <= 0) throw new IllegalArgumentException("gidNumber of group " + name + " must be positive, got " + gidNumber);
        memberUids = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(memberUids == null ? java.util.Set.of() : memberUids));
        modifiedAt = Objects.requireNonNullElse(modifiedAt, Instant.EPOCH);
    }

    public static DirectoryGroup of(String name, long gidNumber, String... members) {
        return new DirectoryGroup(name, gidNumber, new TreeSet<>(java.util.List.of(members)), null);
    }
}
