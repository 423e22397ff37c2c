package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerStatus extends ProxplaneStatus {
    @JsonPropertyDescription("The container's id in the proxplane registry.")
    public Long registryId;
    @JsonPropertyDescription("Proxmox guest id.")
    public Integer vmid;
    @JsonPropertyDescription("Proxmox node the container runs on.")
    public String node;
    @JsonPropertyDescription("MAC address of its network interface.")
    public String mac;
    @JsonPropertyDescription("Its IPv4 address on the site network.")
    public String ipv4;
    @JsonPropertyDescription("Its DNS name in the site's domain.")
    public String fqdn;
    /** {@code running}, {@code stopped}, {@code creating}, {@code missing}. */
    @JsonPropertyDescription("Proxmox state: running, stopped, ...")
    public String state;
    /** Spec fields that differ from what runs and only a replacement can change (image, node). */
    @JsonPropertyDescription("Spec fields whose change needs the container to be deleted and recreated (image, node, a smaller disk).")
    public List<String> replacementRequired;
    /** Settings Proxmox holds as pending until the container restarts. */
    @JsonPropertyDescription("Settings changed in Proxmox that take effect at the next restart.")
    public List<String> pendingRestart;
}
