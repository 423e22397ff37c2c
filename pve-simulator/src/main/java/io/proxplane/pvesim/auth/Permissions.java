package io.proxplane.pvesim.auth;

import io.proxplane.pvesim.api.ApiException;
import io.proxplane.pvesim.state.AclEntry;
import io.proxplane.pvesim.state.ClusterState;
import io.proxplane.pvesim.state.Pool;
import io.proxplane.pvesim.state.Token;
import io.proxplane.pvesim.state.User;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Effective privileges as pve-access-control computes them: walk the ACL from "/" to the path,
 * a deeper path replaces what was inherited, user entries replace group entries on the same path,
 * propagate=0 only applies to the exact path, NoAccess cancels everything, guests and storages also
 * get the roles of their pool, privsep tokens get the intersection with their user, root@pam has all.
 * Callers hold the ClusterState monitor.
 */
public final class Permissions {
    private final ClusterState state;
    private final Clock clock;

    public Permissions(ClusterState state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    /** privilege → propagate flag, for the subject on the path. */
    public Map<String, Boolean> privileges(Subject s, String path) {
        if (!s.isToken()) return userPrivileges(s.userid(), path);
        User u = state.users.get(s.userid());
        Token t = u == null ? null : u.tokens.get(s.tokenName());
        if (t == null) return Map.of();
        Map<String, Boolean> userPrivs = userPrivileges(s.userid(), path);
        if (!t.privsep) return userPrivs;
        Map<String, Boolean> tokenPrivs = privilegesOfRoles(roles(s.fullId(), true, null, path));
        Map<String, Boolean> out = new TreeMap<>();
        tokenPrivs.forEach((p, prop) -> {
            if (userPrivs.containsKey(p)) out.put(p, prop && userPrivs.get(p));
        });
        return out;
    }

    private Map<String, Boolean> userPrivileges(String userid, String path) {
        if ("root@pam".equals(userid)) {
            Map<String, Boolean> all = new TreeMap<>();
            Roles.ALL_PRIVILEGES.forEach(p -> all.put(p, true));
            return all;
        }
        User u = state.users.get(userid);
        if (u == null || !u.enable || (u.expire > 0 && u.expire < clock.instant().getEpochSecond())) return Map.of();
        return privilegesOfRoles(roles(userid, false, u.groups, path));
    }

    public boolean has(Subject s, String path, String priv) {
        return privileges(s, path).containsKey(priv);
    }

    public boolean hasAny(Subject s, String path, String... privs) {
        Map<String, Boolean> p = privileges(s, path);
        for (String x : privs) if (p.containsKey(x)) return true;
        return false;
    }

    /** 403 "Permission check failed (path, priv)" naming the first missing privilege. */
    public void checkAll(Subject s, String path, String... privs) {
        Map<String, Boolean> p = privileges(s, path);
        for (String x : privs) if (!p.containsKey(x)) throw ApiException.forbidden(path + ", " + x);
    }

    /** 403 "Permission check failed (path, a|b)" unless one of the privileges is held. */
    public void checkAny(Subject s, String path, String... privs) {
        if (!hasAny(s, path, privs)) throw ApiException.forbidden(path + ", " + String.join("|", privs));
    }

    /** PVE's "perm-modify": Permissions.Modify, or the allocate privilege of the object's area. */
    public boolean canModifyPermissions(Subject s, String path) {
        if (has(s, path, "Permissions.Modify")) return true;
        String area = path.startsWith("/vms") ? "VM.Allocate"
                : path.startsWith("/storage") ? "Datastore.Allocate"
                : path.startsWith("/pool") ? "Pool.Allocate"
                : path.startsWith("/sdn") ? "SDN.Allocate"
                : path.startsWith("/mapping") ? "Mapping.Modify"
                : path.startsWith("/access/groups") ? "Group.Allocate" : null;
        return area != null && has(s, path, area);
    }

    /** role → propagate for a user (with groups) or a token id on a path, including pool inheritance. */
    Map<String, Boolean> roles(String ugid, boolean token, Set<String> groups, String path) {
        Map<String, Boolean> roles = directRoles(ugid, token, groups, path);
        List<String> poolPaths = new ArrayList<>();
        if (path.matches("/vms/\\d+")) {
            Pool p = state.poolOf(Integer.parseInt(path.substring(5)));
            if (p != null) poolPaths.add("/pool/" + p.poolid);
        } else if (path.matches("/storage/[^/]+")) {
            state.poolsOfStorage(path.substring(9)).forEach(p -> poolPaths.add("/pool/" + p));
        }
        for (String pp : poolPaths) {
            directRoles(ugid, token, groups, pp).forEach(roles::putIfAbsent);
        }
        if (roles.containsKey("NoAccess")) return Map.of();
        return roles;
    }

    private Map<String, Boolean> directRoles(String ugid, boolean token, Set<String> groups, String path) {
        TreeMap<String, List<AclEntry>> byPath = new TreeMap<>();
        for (AclEntry e : state.acl) {
            String p = e.path();
            if (p.equals("/") || p.equals(path) || path.startsWith(p + "/")) {
                byPath.computeIfAbsent(p, k -> new ArrayList<>()).add(e);
            }
        }
        Map<String, Boolean> roles = new HashMap<>();
        for (var level : byPath.entrySet()) {
            boolean fin = level.getKey().equals(path);
            Map<String, Boolean> own = new HashMap<>();
            Map<String, Boolean> viaGroups = new HashMap<>();
            for (AclEntry e : level.getValue()) {
                if (!fin && !e.propagate()) continue;
                if (token) {
                    if (e.type().equals("token") && e.ugid().equals(ugid)) own.merge(e.roleid(), e.propagate(), Boolean::logicalOr);
                } else if (e.type().equals("user") && e.ugid().equals(ugid)) {
                    own.merge(e.roleid(), e.propagate(), Boolean::logicalOr);
                } else if (e.type().equals("group") && groups != null && groups.contains(e.ugid())) {
                    viaGroups.merge(e.roleid(), e.propagate(), Boolean::logicalOr);
                }
            }
            if (!own.isEmpty()) roles = own;
            else if (!viaGroups.isEmpty()) roles = viaGroups;
        }
        return roles;
    }

    private Map<String, Boolean> privilegesOfRoles(Map<String, Boolean> roles) {
        Map<String, Boolean> out = new TreeMap<>();
        roles.forEach((role, prop) -> {
            for (String priv : privilegesOfRole(role)) out.merge(priv, prop, Boolean::logicalOr);
        });
        return out;
    }

    public Set<String> privilegesOfRole(String role) {
        Set<String> builtIn = Roles.BUILT_IN.get(role);
        if (builtIn != null) return builtIn;
        List<String> custom = state.customRoles.get(role);
        return custom == null ? Set.of() : new TreeSet<>(custom);
    }

    public boolean roleExists(String role) {
        return Roles.isBuiltIn(role) || state.customRoles.containsKey(role);
    }
}
