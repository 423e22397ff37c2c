package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExternalDomainStatus extends ProxplaneStatus {
    @JsonPropertyDescription("The domain's id in the proxplane registry.")
    public Long registryId;
}
