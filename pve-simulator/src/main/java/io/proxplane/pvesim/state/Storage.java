package io.proxplane.pvesim.state;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** A storage as seen on one node. Guarded by the ClusterState monitor. */
public final class Storage {
    public String id;
    public String type;          // dir, lvmthin
    public List<String> content = new ArrayList<>();
    public String path;          // dir storages
    public long total;
    public TreeMap<String, Volume> volumes = new TreeMap<>();

    public Storage() {}

    public Storage(String id, String type, List<String> content, String path, long total) {
        this.id = id;
        this.type = type;
        this.content = new ArrayList<>(content);
        this.path = path;
        this.total = total;
    }

    public long used() {
        return volumes.values().stream().mapToLong(v -> v.size).sum();
    }

    /** Content types sorted like PVE prints them (alphabetically). */
    public String contentString() {
        return String.join(",", content.stream().sorted().toList());
    }
}
