package io.proxplane.core.proxmox.model;

import java.util.List;

/** A Proxmox user ({@code GET /access/users} or {@code /access/users/{userid}}); {@code expire} 0 = never. */
public record User(String userid, boolean enable, long expire, String firstname, String lastname, String email,
                   String comment, List<String> groups, List<TokenInfo> tokens) {

    public User {
        groups = groups == null ? List.of() : List.copyOf(groups);
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    /** An API token of a user; {@code tokenid} is the name after '!'. */
    public record TokenInfo(String tokenid, boolean privsep, long expire, String comment) {
    }
}
