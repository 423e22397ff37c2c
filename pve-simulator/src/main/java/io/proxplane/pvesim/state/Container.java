package io.proxplane.pvesim.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One LXC guest: the config file content (raw string values, as PVE stores them), its pending
 * section, and the simulated run state. Guarded by the ClusterState monitor.
 */
public final class Container {
    public int vmid;
    public String node;
    public TreeMap<String, String> config = new TreeMap<>();
    public TreeMap<String, String> pending = new TreeMap<>();
    public TreeSet<String> pendingDelete = new TreeSet<>();
    public String status = "stopped";
    /** Status before the last change: what pvestatd still reports during the resources lag. */
    public String previousStatus = "stopped";
    public long statusChangedAtMillis;
    public long createdAtMillis;
    public long startedAtEpoch;
    public int pid;

    public Container() {}

    public Container(int vmid, String node, long nowMillis) {
        this.vmid = vmid;
        this.node = node;
        this.createdAtMillis = nowMillis;
        this.statusChangedAtMillis = nowMillis;
    }

    public boolean running() {
        return "running".equals(status);
    }

    public String lock() {
        return config.get("lock");
    }

    public void setStatus(String newStatus, long nowMillis) {
        previousStatus = status;
        status = newStatus;
        statusChangedAtMillis = nowMillis;
    }

    /** Renders the config file the way pve-container writes it; the digest is its SHA-1. */
    public String rawConfig() {
        StringBuilder sb = new StringBuilder();
        String desc = config.get("description");
        if (desc != null) {
            for (String line : desc.split("\n", -1)) sb.append('#').append(line).append('\n');
        }
        appendSection(sb, config);
        if (!pending.isEmpty() || !pendingDelete.isEmpty()) {
            sb.append("\n[pve:pending]\n");
            TreeMap<String, String> p = new TreeMap<>(pending);
            if (!pendingDelete.isEmpty()) p.put("delete", String.join(",", pendingDelete));
            appendSection(sb, p);
        }
        return sb.toString();
    }

    private static void appendSection(StringBuilder sb, Map<String, String> values) {
        values.forEach((k, v) -> {
            if (!k.equals("description")) sb.append(k).append(": ").append(v).append('\n');
        });
    }

    public String digest() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(rawConfig().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
