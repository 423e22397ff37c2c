package io.proxplane.core.proxmox.model;

import java.util.List;

/** A role and its privileges; {@code special} marks built-in roles. */
public record Role(String roleid, List<String> privileges, boolean special) {

    public Role {
        privileges = List.copyOf(privileges);
    }
}
