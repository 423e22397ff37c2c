package io.proxplane.pvesim.routes;

import static io.proxplane.pvesim.api.Param.bool;
import static io.proxplane.pvesim.api.Param.integer;
import static io.proxplane.pvesim.api.Param.number;
import static io.proxplane.pvesim.api.Param.str;

import io.proxplane.pvesim.api.Param;
import io.proxplane.pvesim.api.ParamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Hand-written parameter tables of the pve-container config options (create and update share most). */
final class LxcSpecs {
    private LxcSpecs() {}

    static final String MOUNT_OPTIONS = "(?:(?:(discard|lazytime|noatime|nodev|noexec|nosuid))(;(?:(discard|lazytime|noatime|nodev|noexec|nosuid)))*)";
    static final String[] LOCKS = {"backup", "create", "destroyed", "disk", "fstrim", "migrate", "mounted", "rollback", "snapshot", "snapshot-delete"};
    static final String[] OSTYPES = {"debian", "devuan", "ubuntu", "centos", "fedora", "opensuse", "archlinux", "alpine", "gentoo", "nixos", "unmanaged"};

    static final List<ParamSpec> NET_KEYS = Param.all(
            str("bridge").pattern("[-_.\\w\\d]+"),
            bool("firewall"),
            str("gw").format("ipv4"),
            str("gw6").format("ipv6"),
            bool("host-managed"),
            str("hwaddr").format("mac-addr"),
            str("ip").format("pve-ipv4-config"),
            str("ip6").format("pve-ipv6-config"),
            bool("link_down"),
            integer("mtu").min(64).max(65535),
            str("name").req().pattern("[-_.\\w\\d]+"),
            number("rate"),
            integer("tag").min(1).max(4094),
            str("trunks").pattern("(?:\\d+(?:;\\d+)*)"),
            str("type").enums("veth"));

    static final List<ParamSpec> ROOTFS_KEYS = Param.all(
            bool("acl"),
            str("mountoptions").pattern(MOUNT_OPTIONS),
            bool("quota"),
            bool("replicate"),
            bool("ro"),
            bool("shared"),
            str("size").format("disk-size"),
            str("volume").req().format("pve-lxc-mp-string").defaultKey());

    static final List<ParamSpec> MP_KEYS = Param.all(
            bool("acl"),
            bool("backup"),
            bool("keepattrs"),
            str("mountoptions").pattern(MOUNT_OPTIONS),
            str("mp").req().format("pve-lxc-mp-string"),
            bool("quota"),
            bool("replicate"),
            bool("ro"),
            bool("shared"),
            str("size").format("disk-size"),
            str("volume").req().format("pve-lxc-mp-string").defaultKey());

    static final List<ParamSpec> DEV_KEYS = Param.all(
            bool("deny-write"),
            integer("gid").min(0),
            str("mode").pattern("0[0-7]{3}"),
            str("path").format("pve-lxc-dev-string").defaultKey(),
            integer("uid").min(0));

    static final List<ParamSpec> FEATURES_KEYS = Param.all(
            bool("force_rw_sys"),
            bool("fuse"),
            bool("keyctl"),
            bool("mknod"),
            str("mount").pattern("(?:[a-zA-Z0-9_; ]+)"),
            bool("nesting"));

    static final List<ParamSpec> UNUSED_KEYS = Param.all(str("volume").req().format("pve-volume-id").defaultKey());

    /** Options of both create and update (the config keys). */
    static List<Param> configOptions() {
        return List.of(
                str("arch").enums("amd64", "i386", "arm64", "armhf", "riscv32", "riscv64"),
                str("cmode").enums("shell", "console", "tty"),
                bool("console"),
                integer("cores").min(1).max(8192),
                number("cpulimit").min(0).max(8192),
                integer("cpuunits").min(0).max(500000),
                bool("debug"),
                str("description").maxLen(8192),
                str("dev[n]").keys(DEV_KEYS),
                str("entrypoint").pattern("(?:[^\\x00-\\x08\\x10-\\x1F\\x7F]+)"),
                str("env").pattern("(?:(?:\\w+=[^\\x00-\\x08\\x10-\\x1F\\x7F]*)(?:\\x00\\w+=[^\\x00-\\x08\\x10-\\x1F\\x7F]*)*)"),
                str("features").keys(FEATURES_KEYS),
                str("hookscript").format("pve-volume-id"),
                str("hostname").format("dns-name").maxLen(255),
                str("lock").enums(LOCKS),
                integer("memory").min(16),
                str("mp[n]").keys(MP_KEYS),
                str("nameserver").format("lxc-ip-with-ll-iface-list"),
                str("net[n]").keys(NET_KEYS),
                bool("onboot"),
                str("ostype").enums(OSTYPES),
                bool("protection"),
                str("rootfs").keys(ROOTFS_KEYS),
                str("searchdomain").format("dns-name-list"),
                str("startup").format("pve-startup-order"),
                integer("swap").min(0),
                str("tags").format("pve-tag-list"),
                bool("template"),
                str("timezone").format("pve-ct-timezone"),
                integer("tty").min(0).max(6),
                bool("unprivileged"),
                str("unused[n]").keys(UNUSED_KEYS));
    }

    static List<Param> createParams() {
        List<Param> p = new ArrayList<>(configOptions());
        p.addAll(List.of(
                number("bwlimit").min(0),
                bool("force"),
                bool("ha-managed"),
                bool("ignore-unpack-errors"),
                Param.node(),
                str("ostemplate").req().maxLen(255),
                str("password").minLen(5),
                str("pool").format("pve-poolid"),
                bool("restore"),
                str("ssh-public-keys"),
                bool("start"),
                str("storage").format("pve-storage-id"),
                bool("unique").requires("restore"),
                Param.vmid().req()));
        return p;
    }

    static List<Param> updateParams() {
        List<Param> p = new ArrayList<>(configOptions());
        p.addAll(List.of(
                str("delete").format("pve-configid-list"),
                str("digest").maxLen(40),
                Param.node(),
                str("revert").format("pve-configid-list"),
                Param.vmid().req()));
        return p;
    }

    static List<String> resizeDisks() {
        List<String> d = new ArrayList<>();
        d.add("rootfs");
        for (int i = 0; i < 256; i++) d.add("mp" + i);
        return d;
    }

    static final Set<String> INTEGER_KEYS = Set.of("cores", "cpuunits", "memory", "swap", "tty");
    static final Set<String> BOOLEAN_KEYS = Set.of("console", "debug", "onboot", "protection", "template", "unprivileged");
    /** Changes to these apply at once on a running CT (no hot-plug needed). */
    static final Set<String> INSTANT_KEYS = Set.of("description", "onboot", "startup", "protection", "hostname",
            "hookscript", "cores", "tags", "lock");
    /** Hot-pluggable on a running CT. */
    static final Set<String> HOTPLUG_KEYS = Set.of("cpulimit", "cpuunits", "memory", "swap");
    static final Set<String> REQUIRED_KEYS = Set.of("memory", "rootfs", "ostype");

    static List<ParamSpec> keysOf(String option) {
        String base = option.replaceAll("\\d+$", "");
        return switch (base) {
            case "net" -> NET_KEYS;
            case "rootfs" -> ROOTFS_KEYS;
            case "mp" -> MP_KEYS;
            case "dev" -> DEV_KEYS;
            case "features" -> FEATURES_KEYS;
            case "unused" -> UNUSED_KEYS;
            default -> List.of();
        };
    }
}
