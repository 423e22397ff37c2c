package io.proxplane.core.proxmox.model;

import java.util.List;

/**
 * A resource pool. {@code members} is empty when read from the pool list (which carries no members).
 */
public record Pool(String poolid, String comment, List<Member> members) {

    public Pool {
        members = members == null ? List.of() : List.copyOf(members);
    }

    /**
     * A pool member: a guest ({@code type} lxc/qemu, {@code vmid} set) or a storage
     * ({@code type} storage, {@code storage} set).
     */
    public record Member(String id, String type, String node, Integer vmid, String storage, String name, String status) {
    }
}
