package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Usage of the pool as the registry records it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolStatus extends ProxplaneStatus {
    @JsonPropertyDescription("The pool's id in the proxplane registry.")
    public Long registryId;
    @JsonPropertyDescription("Containers in the pool.")
    public Integer containers;
    @JsonPropertyDescription("CPU cores in use.")
    public Long cores;
    @JsonPropertyDescription("Memory in use, MiB.")
    public Long memoryMb;
    @JsonPropertyDescription("Root disk in use, GiB.")
    public Long diskGb;
}
