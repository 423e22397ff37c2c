package io.proxplane.core.registry;

/**
 * What a front door asks for. {@code node} is optional (the engine places the container when it is
 * null); {@code desiredState} is "running" or "stopped".
 */
public record ContainerSpec(long siteId, String name, String hostname, String node, String image, Resources resources,
                            String owner, Long poolId, String desiredState) {
    public ContainerSpec {
        hostname = hostname == null ? name : hostname;
        desiredState = desiredState == null ? "running" : desiredState;
    }
}
