package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerServiceStatus extends ProxplaneStatus {
    public Long registryId;
    public String site;
    /** {@code HTTP}, {@code TCP}, {@code UDP} or {@code DNS_SRV}. */
    public String kind;
    public String fqdn;
    public Integer externalPort;
    public String srvName;
    public String url;
}
