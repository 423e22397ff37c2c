package io.proxplane.core.proxmox.model;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Proxmox task id, e.g. {@code UPID:pve:0002A1B2:00C4D5E6:66A1B2C3:vzcreate:100:root@pam!ci:}.
 * Parsed with the decoder regex of pve-common {@code UPID.pm} (proxmox-api.md §3.5).
 *
 * @param value     the UPID exactly as Proxmox returned it
 * @param node      node that runs the task (status must be polled there)
 * @param pid       worker process id
 * @param pstart    process start time (jiffies)
 * @param startTime task start
 * @param type      worker type, e.g. {@code vzcreate}
 * @param id        task object id (the VMID for guest tasks), may be empty
 * @param user      user part of the owner, e.g. {@code root@pam}
 * @param tokenId   token name when the task was started by an API token (the part after '!'), else null
 */
public record Upid(String value, String node, int pid, long pstart, Instant startTime,
                   String type, String id, String user, String tokenId) {

    private static final Pattern UPID = Pattern.compile(
            "^UPID:([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):"
                    + "([^:\\s/]+):([^:\\s/]*):([^:\\s/]+):$");

    public Upid {
        Objects.requireNonNull(value, "value");
    }

    public static Upid parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("UPID must not be null");
        }
        Matcher m = UPID.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a valid UPID (expected "
                    + "UPID:<node>:<pid 8 hex>:<pstart 8-9 hex>:<starttime 8 hex>:<type>:<id>:<user>:): '" + text + "'");
        }
        String owner = m.group(8);
        int bang = owner.indexOf('!');
        String user = bang < 0 ? owner : owner.substring(0, bang);
        String token = bang < 0 ? null : owner.substring(bang + 1);
        return new Upid(text, m.group(1), (int) Long.parseLong(m.group(3), 16), Long.parseLong(m.group(4), 16),
                Instant.ofEpochSecond(Long.parseLong(m.group(5), 16)), m.group(6), m.group(7), user, token);
    }

    /** The full owner as Proxmox writes it: {@code user} or {@code user!token}. */
    public String owner() {
        return tokenId == null ? user : user + "!" + tokenId;
    }

    @Override
    public String toString() {
        return value;
    }
}
