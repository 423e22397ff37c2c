package io.proxplane.core.proxmox.model;

/**
 * Options of {@code DELETE /nodes/{node}/lxc/{vmid}}.
 *
 * @param purge                    also remove the guest from backup/replication jobs and HA
 * @param force                    destroy even if running
 * @param destroyUnreferencedDisks also destroy disks with this VMID not referenced in the config
 */
public record DestroyOptions(boolean purge, boolean force, boolean destroyUnreferencedDisks) {

    public static DestroyOptions defaults() {
        return new DestroyOptions(false, false, false);
    }

    public DestroyOptions withPurge(boolean v) { return new DestroyOptions(v, force, destroyUnreferencedDisks); }
    public DestroyOptions withForce(boolean v) { return new DestroyOptions(purge, v, destroyUnreferencedDisks); }
    public DestroyOptions withDestroyUnreferencedDisks(boolean v) { return new DestroyOptions(purge, force, v); }
}
