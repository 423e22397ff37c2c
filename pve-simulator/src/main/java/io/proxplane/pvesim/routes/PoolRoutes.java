package io.proxplane.pvesim.routes;

import java.util.List;

final class PoolRoutes {
    private PoolRoutes() {}

    static List<Route> routes() {
        return List.of();
    }
}
