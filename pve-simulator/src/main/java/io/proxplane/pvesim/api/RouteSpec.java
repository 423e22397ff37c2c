package io.proxplane.pvesim.api;

import java.util.List;

/** One served API method: the contract view used both for dispatch and for the schema contract test. */
public record RouteSpec(String method, String pathTemplate, boolean protectedFlag, boolean allowToken,
                        List<ParamSpec> parameters) {
    public RouteSpec {
        parameters = List.copyOf(parameters);
    }
}
