package io.proxplane.pvesim.state;

import java.util.LinkedHashMap;

/** A cluster node. Guarded by the ClusterState monitor. */
public final class Node {
    public String name;
    public int nodeid;
    public boolean online = true;
    public long bootEpoch;
    public LinkedHashMap<String, Storage> storages = new LinkedHashMap<>();

    public Node() {}

    public Node(String name, int nodeid, long bootEpoch) {
        this.name = name;
        this.nodeid = nodeid;
        this.bootEpoch = bootEpoch;
    }
}
