package io.proxplane.core.proxmox.model;

import java.util.List;

/** A group; {@code members} are user ids. Membership is changed through the users' {@code groups}. */
public record Group(String groupid, String comment, List<String> members) {

    public Group {
        members = members == null ? List.of() : List.copyOf(members);
    }
}
