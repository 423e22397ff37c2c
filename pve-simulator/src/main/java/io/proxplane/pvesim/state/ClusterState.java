package io.proxplane.pvesim.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;

/**
 * The whole simulated cluster (what pmxcfs holds plus the run state). Every read and write happens
 * while holding this object's monitor, which keeps handlers simple and race-free; long waits (flocks,
 * task durations) never happen while holding it.
 */
public final class ClusterState {
    public String clusterName = "proxplane-sim";
    public LinkedHashMap<String, Node> nodes = new LinkedHashMap<>();
    public TreeMap<Integer, Container> containers = new TreeMap<>();
    public TreeMap<String, Pool> pools = new TreeMap<>();
    public TreeMap<String, User> users = new TreeMap<>();
    public TreeMap<String, Group> groups = new TreeMap<>();
    public List<AclEntry> acl = new ArrayList<>();
    /** Custom (non built-in) roles: roleid → privileges. */
    public TreeMap<String, List<String>> customRoles = new TreeMap<>();
    public LinkedHashMap<String, Realm> realms = new LinkedHashMap<>();

    public Pool poolOf(int vmid) {
        for (Pool p : pools.values()) if (p.vms.contains(vmid)) return p;
        return null;
    }

    public List<String> poolsOfStorage(String storage) {
        List<String> out = new ArrayList<>();
        for (Pool p : pools.values()) if (p.storages.contains(storage)) out.add(p.poolid);
        return out;
    }
}
