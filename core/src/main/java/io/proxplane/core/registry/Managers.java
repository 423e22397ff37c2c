package io.proxplane.core.registry;

import java.util.regex.Pattern;

/**
 * Manager names, e.g. {@code k8s:<namespace>/<name>} or {@code terraform:<workspace>}: the front
 * door before the colon, the managing object after it.
 */
public final class Managers {
    private static final Pattern FORMAT = Pattern.compile("^[a-z][a-z0-9-]*:\\S.*$");

    private Managers() {}

    public static String kubernetes(String namespace, String name) {
        return check("k8s:" + namespace + "/" + name);
    }

    public static String terraform(String workspace) {
        return check("terraform:" + workspace);
    }

    /** Returns {@code manager} if it is well formed, else throws naming the rule. */
    public static String check(String manager) {
        if (manager == null || !FORMAT.matcher(manager).matches()) {
            throw new IllegalArgumentException("managed_by: '" + manager
                    + "' must be '<front-door>:<object>', e.g. 'k8s:team-a/web1' or 'terraform:prod'");
        }
        return manager;
    }
}
