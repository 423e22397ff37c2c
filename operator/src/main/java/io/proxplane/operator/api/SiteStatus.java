package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SiteStatus extends ProxplaneStatus {
    public Long registryId;
    public List<String> nodes;
    public List<String> onlineNodes;
    /** Containers of the site and their drift, from the last bulk poll. */
    public Integer containers;
    public Integer drifted;
    public List<Integer> orphanVmids;
    /** When the last bulk poll of the site's Proxmox clusters finished (RFC 3339). */
    public String lastPollTime;
}
