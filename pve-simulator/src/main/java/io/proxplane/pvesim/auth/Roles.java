package io.proxplane.pvesim.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The built-in roles of pve-access-control (AccessControl.pm `create_roles`): privilege groups per
 * category with root/admin/user/audit tiers, combined into the PVE*Admin, PVE*User, PVEAdmin and
 * PVEAuditor roles.
 */
public final class Roles {
    private Roles() {}

    private record Tiers(List<String> root, List<String> admin, List<String> user, List<String> audit) {}

    private static final Map<String, Tiers> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("VM", new Tiers(List.of(),
                List.of("VM.Config.Disk", "VM.Config.CPU", "VM.Config.Memory", "VM.Config.Network", "VM.Config.HWType",
                        "VM.Config.Options", "VM.Allocate", "VM.Clone", "VM.Migrate", "VM.Replicate", "VM.Snapshot",
                        "VM.Snapshot.Rollback", "VM.GuestAgent.FileRead", "VM.GuestAgent.FileWrite",
                        "VM.GuestAgent.FileSystemMgmt", "VM.GuestAgent.Unrestricted"),
                List.of("VM.Config.CDROM", "VM.Config.Cloudinit", "VM.Console", "VM.Backup", "VM.PowerMgmt",
                        "VM.GuestAgent.Audit"),
                List.of("VM.Audit")));
        GROUPS.put("Sys", new Tiers(List.of("Sys.PowerMgmt", "Sys.Modify", "Sys.Incoming", "Sys.AccessNetwork"),
                List.of("Sys.Console", "Sys.Syslog"), List.of(), List.of("Sys.Audit")));
        GROUPS.put("Datastore", new Tiers(List.of(), List.of("Datastore.Allocate", "Datastore.AllocateTemplate"),
                List.of("Datastore.AllocateSpace"), List.of("Datastore.Audit")));
        GROUPS.put("SDN", new Tiers(List.of(), List.of("SDN.Allocate"), List.of("SDN.Use"), List.of("SDN.Audit")));
        GROUPS.put("User", new Tiers(List.of("Realm.Allocate"), List.of("User.Modify", "Group.Allocate", "Realm.AllocateUser"),
                List.of(), List.of()));
        GROUPS.put("Pool", new Tiers(List.of(), List.of("Pool.Allocate"), List.of(), List.of("Pool.Audit")));
        GROUPS.put("Mapping", new Tiers(List.of(), List.of("Mapping.Modify"), List.of("Mapping.Use"), List.of("Mapping.Audit")));
    }

    /** Categories that get a PVE<cat>User role. */
    private static final Set<String> WITH_USER_ROLE = Set.of("VM", "Datastore", "Pool", "SDN", "Mapping");

    public static final Set<String> ALL_PRIVILEGES;
    public static final Map<String, Set<String>> BUILT_IN;

    static {
        TreeSet<String> all = new TreeSet<>(Set.of("Permissions.Modify"));
        GROUPS.values().forEach(t -> Stream.of(t.root, t.admin, t.user, t.audit).forEach(all::addAll));
        ALL_PRIVILEGES = java.util.Collections.unmodifiableSet(all);
        Map<String, Set<String>> roles = new java.util.TreeMap<>();
        roles.put("Administrator", all);
        roles.put("NoAccess", new TreeSet<>());
        TreeSet<String> pveAdmin = new TreeSet<>();
        TreeSet<String> auditor = new TreeSet<>();
        GROUPS.forEach((cat, t) -> {
            TreeSet<String> admin = new TreeSet<>();
            Stream.of(t.admin, t.user, t.audit).forEach(admin::addAll);
            roles.put("PVE" + cat + "Admin", admin);
            pveAdmin.addAll(admin);
            auditor.addAll(t.audit);
            if (WITH_USER_ROLE.contains(cat)) {
                TreeSet<String> user = new TreeSet<>(t.user);
                user.addAll(t.audit);
                roles.put("PVE" + cat + "User", user);
            }
        });
        roles.put("PVEAdmin", pveAdmin);
        roles.put("PVEAuditor", auditor);
        roles.put("PVETemplateUser", new TreeSet<>(Set.of("VM.Clone", "VM.Audit")));
        BUILT_IN = java.util.Collections.unmodifiableMap(roles);
    }

    public static boolean isBuiltIn(String roleid) {
        return BUILT_IN.containsKey(roleid);
    }
}
