package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SiteStatus extends ProxplaneStatus {
    @JsonPropertyDescription("The site's id in the proxplane registry.")
    public Long registryId;
    @JsonPropertyDescription("Proxmox nodes of the site's clusters, as of the last poll.")
    public List<String> nodes;
    @JsonPropertyDescription("Nodes online at the last poll.")
    public List<String> onlineNodes;
    @JsonPropertyDescription("onlineNodes as one comma-separated line (the NODES column).")
    public String onlineNodeList;
    /** Containers of the site and their drift, from the last bulk poll. */
    @JsonPropertyDescription("Containers of the site, from the last bulk poll.")
    public Integer containers;
    @JsonPropertyDescription("Containers whose Proxmox state differed from the desired one at the last poll (they are corrected).")
    public Integer drifted;
    @JsonPropertyDescription("Guests this registry made for the site that no Container claims (destroyed by the poll).")
    public List<Integer> orphanVmids;
    /** When the last bulk poll of the site's Proxmox clusters finished (RFC 3339). */
    @JsonPropertyDescription("When the last bulk poll of the site's Proxmox clusters finished (RFC 3339).")
    public String lastPollTime;
}
