package io.proxplane.pvesim.routes;

import java.util.Arrays;

/** A route's permission rule, evaluated on the raw parameters before validation (PVE order). */
@FunctionalInterface
interface PermCheck {
    void check(Call c);

    PermCheck NONE = c -> { };

    /** ["perm", path, [privs]] — all privileges required. */
    static PermCheck perm(String pathTemplate, String... privs) {
        return c -> c.engine().perms().checkAll(c.subject(), c.expand(pathTemplate), privs);
    }

    /** ["perm", path, [privs], "any", 1]. */
    static PermCheck any(String pathTemplate, String... privs) {
        return c -> c.engine().perms().checkAny(c.subject(), c.expand(pathTemplate), privs);
    }

    static PermCheck and(PermCheck... checks) {
        return c -> Arrays.stream(checks).forEach(x -> x.check(c));
    }

    /** ["or", ...]: passes if one passes; otherwise the bare "Permission check failed". */
    static PermCheck or(PermCheck... checks) {
        return c -> {
            for (PermCheck x : checks) {
                try {
                    x.check(c);
                    return;
                } catch (io.proxplane.pvesim.api.ApiException e) {
                    if (e.status() != 403) throw e;
                }
            }
            throw io.proxplane.pvesim.api.ApiException.forbidden(null);
        };
    }
}
