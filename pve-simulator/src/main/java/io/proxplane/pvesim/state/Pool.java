package io.proxplane.pvesim.state;

import java.util.TreeSet;

/** A resource pool. Guarded by the ClusterState monitor. */
public final class Pool {
    public String poolid;
    public String comment;
    public TreeSet<Integer> vms = new TreeSet<>();
    public TreeSet<String> storages = new TreeSet<>();

    public Pool() {}

    public Pool(String poolid, String comment) {
        this.poolid = poolid;
        this.comment = comment;
    }
}
