package io.proxplane.pvesim.routes;

import java.util.List;

final class AccessRoutes {
    private AccessRoutes() {}

    static List<Route> routes() {
        return List.of();
    }
}
