package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExternalDomainStatus extends ProxplaneStatus {
    public Long registryId;
}
