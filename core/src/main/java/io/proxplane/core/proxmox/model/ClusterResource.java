package io.proxplane.core.proxmox.model;

import java.util.List;

/**
 * An entry of {@code GET /cluster/resources}. Which fields are set depends on {@code type}
 * ({@code lxc}, {@code qemu}, {@code node}, {@code storage}, {@code pool}, {@code sdn}); optional
 * fields are null. Status, name, cpu and mem lag ~10 s behind reality (proxmox-api.md §3.2).
 */
public record ClusterResource(String id, String type, String node, String status, String name, Integer vmid,
                              String pool, String storage, List<String> tags, String lock, boolean template,
                              String hastate, Long uptime, Double maxcpu, Double cpu, Long maxmem, Long mem,
                              Long maxdisk, Long disk, String plugintype, String content, Boolean shared) {

    public ClusterResource {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** Filter values accepted by the server ({@code type=pool} is not). */
    public enum Type {
        VM("vm"), STORAGE("storage"), NODE("node"), SDN("sdn");

        private final String value;

        Type(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }
}
