package io.proxplane.pvesim;

/** Out-of-band operations an operator would do on the node's shell (see docs/pve-simulator.md). */
public interface SimulatorAdmin {
    void unlock(int vmid);

    void createUser(String userid, String password);

    void createToken(String tokenId, String secret, boolean privsep);

    void setAcl(String path, String type, String ugid, String role, boolean propagate);

    void addNode(String name);

    void setNodeOnline(String name, boolean online);

    void addTemplate(String node, String storage, String fileName);
}
