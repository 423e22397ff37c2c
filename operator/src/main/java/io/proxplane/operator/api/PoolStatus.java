package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Usage of the pool as the registry records it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolStatus extends ProxplaneStatus {
    public Long registryId;
    public Integer containers;
    public Long cores;
    public Long memoryMb;
    public Long diskGb;
}
