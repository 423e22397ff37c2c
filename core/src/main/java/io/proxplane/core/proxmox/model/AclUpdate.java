package io.proxplane.core.proxmox.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT /access/acl}: grant (or, with {@code remove}, revoke) {@code roles} on {@code path}
 * to users, groups and/or API tokens ({@code user@realm!token}).
 */
public record AclUpdate(String path, List<String> roles, List<String> users, List<String> groups, List<String> tokens,
                        boolean propagate, boolean remove) {

    public AclUpdate {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path: an ACL path starting with '/', got '" + path + "'");
        }
        roles = List.copyOf(roles);
        users = users == null ? List.of() : List.copyOf(users);
        groups = groups == null ? List.of() : List.copyOf(groups);
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("roles: at least one role");
        }
        if (users.isEmpty() && groups.isEmpty() && tokens.isEmpty()) {
            throw new IllegalArgumentException("acl: name at least one user, group or token");
        }
    }

    public static AclUpdate grantToUser(String path, String role, String userid) {
        return new AclUpdate(path, List.of(role), List.of(userid), List.of(), List.of(), true, false);
    }

    public static AclUpdate grantToGroup(String path, String role, String groupid) {
        return new AclUpdate(path, List.of(role), List.of(), List.of(groupid), List.of(), true, false);
    }

    public static AclUpdate grantToToken(String path, String role, String tokenid) {
        return new AclUpdate(path, List.of(role), List.of(), List.of(), List.of(tokenid), true, false);
    }

    public AclUpdate withPropagate(boolean v) { return new AclUpdate(path, roles, users, groups, tokens, v, remove); }

    /** The same entries, to be removed. */
    public AclUpdate revoke() { return new AclUpdate(path, roles, users, groups, tokens, propagate, true); }

    public Map<String, String> toParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("path", path);
        p.put("roles", String.join(",", roles));
        FormValues.put(p, "users", users.isEmpty() ? null : String.join(",", users));
        FormValues.put(p, "groups", groups.isEmpty() ? null : String.join(",", groups));
        FormValues.put(p, "tokens", tokens.isEmpty() ? null : String.join(",", tokens));
        p.put("propagate", propagate ? "1" : "0");
        FormValues.put(p, "delete", remove ? Boolean.TRUE : null);
        return p;
    }
}
