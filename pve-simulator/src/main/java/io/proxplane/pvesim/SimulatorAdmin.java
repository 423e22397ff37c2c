package io.proxplane.pvesim;

/** Out-of-band operations an operator would do on the node's shell (see docs/pve-simulator.md). */
public interface SimulatorAdmin {
    void unlock(int vmid);

    void createUser(String userid, String password);

    void createToken(String tokenId, String secret, boolean privsep);

    void setAcl(String path, String type, String ugid, String role, boolean propagate);

    /** A custom role, as {@code pveum role add ROLE --privs "..."} makes it; replaces one of that name. */
    void createRole(String roleid, java.util.Collection<String> privileges);

    void addNode(String name);

    void setNodeOnline(String name, boolean online);

    void addTemplate(String node, String storage, String fileName);
}
