package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerStatus extends ProxplaneStatus {
    public Long registryId;
    public Integer vmid;
    public String node;
    public String mac;
    public String ipv4;
    public String fqdn;
    /** {@code running}, {@code stopped}, {@code creating}, {@code missing}. */
    public String state;
    /** Spec fields that differ from what runs and only a replacement can change (image, node). */
    public List<String> replacementRequired;
    /** Settings Proxmox holds as pending until the container restarts. */
    public List<String> pendingRestart;
}
