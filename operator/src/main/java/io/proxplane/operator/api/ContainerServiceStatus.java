package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerServiceStatus extends ProxplaneStatus {
    @JsonPropertyDescription("The service's id in the proxplane registry.")
    public Long registryId;
    @JsonPropertyDescription("The site of its container.")
    public String site;
    /** {@code HTTP}, {@code TCP}, {@code UDP} or {@code DNS_SRV}. */
    @JsonPropertyDescription("HTTP, TCP, UDP or DNS_SRV.")
    public String kind;
    @JsonPropertyDescription("The name clients use.")
    public String fqdn;
    @JsonPropertyDescription("The edge port (TCP and UDP).")
    public Integer externalPort;
    @JsonPropertyDescription("The SRV record's name (DNS SRV).")
    public String srvName;
    @JsonPropertyDescription("The URL (HTTP).")
    public String url;
}
