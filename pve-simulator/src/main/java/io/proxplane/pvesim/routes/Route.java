package io.proxplane.pvesim.routes;

import io.proxplane.pvesim.api.Param;
import io.proxplane.pvesim.api.RouteSpec;
import java.util.List;

/** A served method: its contract spec, whether it needs authentication, its permission rule and handler. */
record Route(RouteSpec spec, boolean world, boolean proxyToNode, PermCheck perm, Handler handler) {

    static Builder of(String method, String path) {
        return new Builder(method, path);
    }

    static final class Builder {
        private final String method;
        private final String path;
        private boolean prot;
        private boolean allowToken = true;
        private boolean world;
        private List<io.proxplane.pvesim.api.ParamSpec> params = List.of();
        private PermCheck perm = PermCheck.NONE;

        Builder(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Builder prot() { prot = true; return this; }
        Builder noToken() { allowToken = false; return this; }
        Builder world() { world = true; return this; }
        Builder params(Object... ps) { params = Param.all(ps); return this; }
        Builder perm(PermCheck p) { perm = p; return this; }

        Route handle(Handler h) {
            return new Route(new RouteSpec(method, path, prot, allowToken, params), world, path.startsWith("/nodes/{node}"), perm, h);
        }
    }
}
