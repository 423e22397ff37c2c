package io.proxplane.core.engine.spec;

import java.util.List;

/** A directory group; {@code gid} null lets the allocator pick one; {@code members} are usernames. */
public record GroupSpec(String name, Integer gid, List<String> members, boolean admin) {
    public GroupSpec {
        name = Check.posixName("name", name);
        if (gid != null) Check.range("gid", gid, 1000, 2_147_483_646);
        members = members == null ? List.of() : List.copyOf(members);
        for (int i = 0; i < members.size(); i++) {
            Check.posixName("members[" + i + "]", members.get(i));
        }
    }
}
