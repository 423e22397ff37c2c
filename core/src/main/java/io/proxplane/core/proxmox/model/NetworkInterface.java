package io.proxplane.core.proxmox.model;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * A container network interface, the {@code net[n]} property string (proxmox-api.md §3.3, §9.3).
 * Rendered canonically like Proxmox re-serialises it: {@code name} first, then the other keys
 * alphabetically, so a rendered value compares equal to what GET config returns.
 * Null fields are omitted.
 */
public record NetworkInterface(String name, String bridge, String ip, String gw, String ip6, String gw6,
                               String hwaddr, Boolean firewall, Integer tag, String trunks, Double rate,
                               Integer mtu, Boolean linkDown, Boolean hostManaged, String type) {

    private static final Pattern NAME = Pattern.compile("[-_.\\w\\d]+");
    private static final Pattern MAC = Pattern.compile("(?i)[a-f0-9][02468ace](?::[a-f0-9]{2}){5}");
    private static final Pattern TRUNKS = Pattern.compile("\\d+(?:;\\d+)*");

    public NetworkInterface {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("net.name: required, letters, digits, '-', '_' or '.', got '" + name + "'");
        }
        if (bridge != null && !NAME.matcher(bridge).matches()) {
            throw new IllegalArgumentException("net.bridge: letters, digits, '-', '_' or '.', got '" + bridge + "'");
        }
        if (hwaddr != null && !MAC.matcher(hwaddr).matches()) {
            throw new IllegalArgumentException("net.hwaddr: must be a unicast MAC address like BC:24:11:2E:C5:7E, got '" + hwaddr + "'");
        }
        if (tag != null && (tag < 1 || tag > 4094)) {
            throw new IllegalArgumentException("net.tag: must be between 1 and 4094, got " + tag);
        }
        if (mtu != null && (mtu < 64 || mtu > 65535)) {
            throw new IllegalArgumentException("net.mtu: must be between 64 and 65535, got " + mtu);
        }
        if (trunks != null && !TRUNKS.matcher(trunks).matches()) {
            throw new IllegalArgumentException("net.trunks: VLAN ids separated by ';', got '" + trunks + "'");
        }
        if (rate != null && rate < 0) {
            throw new IllegalArgumentException("net.rate: must not be negative, got " + rate);
        }
        PropertyStrings.requireSafe(ip, "net.ip");
        PropertyStrings.requireSafe(gw, "net.gw");
        PropertyStrings.requireSafe(ip6, "net.ip6");
        PropertyStrings.requireSafe(gw6, "net.gw6");
        PropertyStrings.requireSafe(type, "net.type");
    }

    /** {@code name=<name>,bridge=<bridge>,ip=dhcp}: the common case. */
    public static NetworkInterface dhcp(String name, String bridge) {
        return builder(name).bridge(bridge).ip("dhcp").build();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.bridge = bridge; b.ip = ip; b.gw = gw; b.ip6 = ip6; b.gw6 = gw6; b.hwaddr = hwaddr;
        b.firewall = firewall; b.tag = tag; b.trunks = trunks; b.rate = rate; b.mtu = mtu;
        b.linkDown = linkDown; b.hostManaged = hostManaged; b.type = type;
        return b;
    }

    /** Parses a {@code net[n]} value as GET config returns it; unknown keys are ignored. */
    public static NetworkInterface parse(String text) {
        Map<String, String> m = PropertyStrings.parse(text, null, "net");
        String w = "net";
        return new NetworkInterface(m.get("name"), m.get("bridge"), m.get("ip"), m.get("gw"), m.get("ip6"), m.get("gw6"),
                m.get("hwaddr"), PropertyStrings.bool(m, "firewall", w), PropertyStrings.integer(m, "tag", w),
                m.get("trunks"), PropertyStrings.number(m, "rate", w), PropertyStrings.integer(m, "mtu", w),
                PropertyStrings.bool(m, "link_down", w), PropertyStrings.bool(m, "host-managed", w), m.get("type"));
    }

    public String toPropertyString() {
        StringBuilder sb = new StringBuilder();
        PropertyStrings.put(sb, "name", name);
        PropertyStrings.put(sb, "bridge", bridge);
        PropertyStrings.put(sb, "firewall", firewall);
        PropertyStrings.put(sb, "gw", gw);
        PropertyStrings.put(sb, "gw6", gw6);
        PropertyStrings.put(sb, "host-managed", hostManaged);
        PropertyStrings.put(sb, "hwaddr", hwaddr);
        PropertyStrings.put(sb, "ip", ip);
        PropertyStrings.put(sb, "ip6", ip6);
        PropertyStrings.put(sb, "link_down", linkDown);
        PropertyStrings.put(sb, "mtu", mtu);
        PropertyStrings.put(sb, "rate", rate);
        PropertyStrings.put(sb, "tag", tag);
        PropertyStrings.put(sb, "trunks", trunks);
        PropertyStrings.put(sb, "type", type);
        return sb.toString();
    }

    @Override
    public String toString() {
        return toPropertyString();
    }

    public static final class Builder {
        private final String name;
        private String bridge, ip, gw, ip6, gw6, hwaddr, trunks, type;
        private Boolean firewall, linkDown, hostManaged;
        private Integer tag, mtu;
        private Double rate;

        private Builder(String name) {
            this.name = name;
        }

        public Builder bridge(String v) { bridge = v; return this; }
        /** {@code dhcp}, {@code manual} or an IPv4 CIDR. */
        public Builder ip(String v) { ip = v; return this; }
        public Builder gw(String v) { gw = v; return this; }
        /** {@code auto}, {@code dhcp}, {@code manual} or an IPv6 CIDR. */
        public Builder ip6(String v) { ip6 = v; return this; }
        public Builder gw6(String v) { gw6 = v; return this; }
        public Builder hwaddr(String v) { hwaddr = v; return this; }
        public Builder firewall(boolean v) { firewall = v; return this; }
        public Builder tag(int v) { tag = v; return this; }
        public Builder trunks(String v) { trunks = v; return this; }
        public Builder rate(double mbPerSecond) { rate = mbPerSecond; return this; }
        public Builder mtu(int v) { mtu = v; return this; }
        public Builder linkDown(boolean v) { linkDown = v; return this; }
        public Builder hostManaged(boolean v) { hostManaged = v; return this; }
        public Builder type(String v) { type = v; return this; }

        public NetworkInterface build() {
            return new NetworkInterface(name, bridge, ip, gw, ip6, gw6, hwaddr, firewall, tag, trunks, rate, mtu,
                    linkDown, hostManaged, type);
        }
    }
}
