package io.proxplane.pvesim.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The named formats of PVE (pve-common JSONSchema.pm, pve-access-control), re-implemented by hand.
 * {@link #check} returns the error text (ending in a newline like a Perl `die`) or null when valid.
 */
public final class Formats {
    private Formats() {}

    static final Pattern VMID = Pattern.compile("[1-9][0-9]{2,8}");
    static final Pattern NODE = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?");
    static final Pattern STORAGE_ID = Pattern.compile("(?i)[a-z][a-z0-9\\-_.]*[a-z0-9]");
    static final Pattern CONFIG_ID = Pattern.compile("(?i)[a-z][a-z0-9_-]+");
    static final Pattern POOL_ID = Pattern.compile("[A-Za-z0-9.\\-_]+(?:/[A-Za-z0-9.\\-_]+){0,2}");
    static final Pattern USER_ID = Pattern.compile("[^\\s:/]+@[A-Za-z][A-Za-z0-9.\\-_]+");
    static final Pattern GROUP_ID = Pattern.compile("[A-Za-z0-9.\\-_]+");
    static final Pattern REALM = Pattern.compile("[A-Za-z][A-Za-z0-9.\\-_]+");
    static final Pattern TOKEN_ID = Pattern.compile("([^\\s:/]+@[A-Za-z][A-Za-z0-9.\\-_]+)!([A-Za-z][A-Za-z0-9.\\-_]+)");
    static final Pattern DNS_LABEL = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?");
    static final Pattern MAC = Pattern.compile("(?i)[a-f0-9][02468ace](?::[a-f0-9]{2}){5}");
    static final Pattern TAG = Pattern.compile("(?i)[a-z0-9_][a-z0-9_\\-+.]*");
    static final Pattern DISK_SIZE = Pattern.compile("\\d+(\\.\\d+)?[KMGT]?");
    static final Pattern VOLUME_ID = Pattern.compile("(?i)([a-z][a-z0-9\\-_.]*[a-z0-9]):(.+)");
    static final Pattern EMAIL = Pattern.compile("[^\\s@]+@[^\\s@]+");
    static final Pattern PRIV = Pattern.compile("[A-Za-z][A-Za-z0-9.]+");
    static final Pattern STARTUP_PART = Pattern.compile("(order=\\d+|up=\\d+|down=\\d+|\\d+)");
    static final Set<String> STORAGE_CONTENT = Set.of("images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import");
    static final Set<String> TASK_STATUS = Set.of("ok", "error", "warning", "unknown");
    static final Pattern LIST_SPLIT = Pattern.compile("[,;\\s\\x00]+");

    public static String check(String format, String value) {
        if (format.endsWith("-opt")) {
            if (value.isEmpty()) return null;
            return check(format.substring(0, format.length() - 4), value);
        }
        if (format.endsWith("-list")) {
            String base = format.substring(0, format.length() - 5);
            for (String item : splitList(value)) {
                String err = check(base, item);
                if (err != null) return err;
            }
            return null;
        }
        return switch (format) {
            case "pve-vmid" -> VMID.matcher(value).matches() ? null : "value does not look like a valid VM ID\n";
            case "pve-node" -> NODE.matcher(value).matches() ? null : "value does not look like a valid node name\n";
            case "pve-storage-id" -> STORAGE_ID.matcher(value).matches()
                    ? null : "storage ID '" + value + "' contains illegal characters\n";
            case "pve-configid" -> CONFIG_ID.matcher(value).matches()
                    ? null : "invalid configuration ID '" + value + "'\n";
            case "pve-poolid" -> POOL_ID.matcher(value).matches() ? null : "invalid pool ID '" + value + "'\n";
            case "pve-userid" -> value.length() >= 3 && value.length() <= 64 && USER_ID.matcher(value).matches()
                    ? null : "value '" + value + "' does not look like a valid user name\n";
            case "pve-groupid" -> GROUP_ID.matcher(value).matches()
                    ? null : "group name '" + value + "' contains invalid characters\n";
            case "pve-roleid" -> GROUP_ID.matcher(value).matches()
                    ? null : "role name '" + value + "' contains invalid characters\n";
            case "pve-realm" -> REALM.matcher(value).matches()
                    ? null : "realm name '" + value + "' contains invalid characters\n";
            case "pve-tokenid" -> TOKEN_ID.matcher(value).matches()
                    ? null : "value '" + value + "' does not look like a valid token ID\n";
            case "dns-name" -> isDnsName(value) ? null : "value '" + value + "' does not look like a valid DNS name\n";
            case "mac-addr" -> MAC.matcher(value).matches()
                    ? null : "value does not look like a valid unicast MAC address\n";
            case "ipv4" -> isIpv4(value) ? null : "value does not look like a valid IPv4 address\n";
            case "ipv6" -> isIpv6(value) ? null : "value does not look like a valid IPv6 address\n";
            case "pve-ipv4-config" -> value.equals("dhcp") || value.equals("manual") || isCidr4(value)
                    ? null : "value does not look like a valid ipv4 network configuration\n";
            case "pve-ipv6-config" -> value.equals("dhcp") || value.equals("manual") || value.equals("auto")
                    || isCidr6(value) ? null : "value does not look like a valid ipv6 network configuration\n";
            case "lxc-ip-with-ll-iface" -> isIpv4(value) || isIpv6(value.replaceFirst("%[^%]+$", ""))
                    ? null : "value does not look like a valid IP address\n";
            case "pve-tag" -> TAG.matcher(value).matches() ? null : "invalid tag '" + value + "'\n";
            case "disk-size" -> DISK_SIZE.matcher(value).matches() ? null : "unable to parse size '" + value + "'\n";
            case "pve-volume-id" -> VOLUME_ID.matcher(value).matches()
                    ? null : "unable to parse volume ID '" + value + "'\n";
            case "email" -> EMAIL.matcher(value).matches()
                    ? null : "value does not look like a valid email address\n";
            case "pve-priv" -> PRIV.matcher(value).matches() ? null : "invalid privilege name '" + value + "'\n";
            case "pve-startup-order" -> isStartup(value) ? null : "unable to parse startup options\n";
            case "pve-storage-content" -> STORAGE_CONTENT.contains(value)
                    ? null : "invalid content type '" + value + "'\n";
            case "pve-task-status-type" -> TASK_STATUS.contains(value)
                    ? null : "invalid task status type '" + value + "'\n";
            case "pve-lxc-mp-string" -> value.isEmpty() || value.contains("/../") || value.endsWith("/..")
                    || value.startsWith("../") ? "invalid path '" + value + "'\n" : null;
            case "pve-lxc-dev-string" -> value.startsWith("/dev/") && !value.contains("/../")
                    ? null : "not a valid device path '" + value + "'\n";
            case "pve-ct-timezone" -> value.isBlank() || value.contains(" ")
                    ? "invalid time zone '" + value + "'\n" : null;
            default -> null; // formats without a checker behave like plain strings
        };
    }

    public static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        for (String s : LIST_SPLIT.split(value)) if (!s.isEmpty()) out.add(s);
        return out;
    }

    public static boolean isDnsName(String value) {
        if (value.isEmpty() || value.length() > 255) return false;
        for (String label : value.split("\\.", -1)) if (!DNS_LABEL.matcher(label).matches()) return false;
        return true;
    }

    public static boolean isIpv4(String v) {
        String[] parts = v.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    public static boolean isIpv6(String v) {
        if (!v.matches("[0-9a-fA-F:.]+") || !v.contains(":")) return false;
        try {
            // Only hex digits, colons and dots reach here, so this parses a literal and never resolves a name.
            return java.net.InetAddress.getByName(v) instanceof java.net.Inet6Address || v.startsWith("::ffff:");
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    public static boolean isCidr4(String v) {
        int slash = v.indexOf('/');
        if (slash < 0) return false;
        String mask = v.substring(slash + 1);
        return isIpv4(v.substring(0, slash)) && mask.matches("\\d{1,2}") && Integer.parseInt(mask) <= 32;
    }

    public static boolean isCidr6(String v) {
        int slash = v.indexOf('/');
        if (slash < 0) return false;
        String mask = v.substring(slash + 1);
        return isIpv6(v.substring(0, slash)) && mask.matches("\\d{1,3}") && Integer.parseInt(mask) <= 128;
    }

    private static boolean isStartup(String v) {
        for (String part : v.split(",")) if (!STARTUP_PART.matcher(part).matches()) return false;
        return true;
    }
}
