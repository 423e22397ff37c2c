package io.proxplane.core.engine;

/**
 * Which managers may reach into each other's objects. Ownership ({@link EngineContext#requireManager})
 * protects a row from being changed by another manager; tenancy protects a row from being
 * <em>used</em> by another tenant: a service attaching to a container (it would publish the
 * container under a name and port the container's owner never chose) or a user joining a group
 * (it would gain the group's rights).
 *
 * <p>The tenant of a manager is the unit the front door gives to one team:
 * <ul>
 *   <li>{@code terraform:<workspace>} — the whole workspace;</li>
 *   <li>{@code k8s:<namespace>/<name>} — the namespace (every Kubernetes object has its own
 *       manager, so a ContainerService and its Container never share one);</li>
 *   <li>{@code k8s:cluster/<kind>/<name>} — the cluster scope (Users, Groups, Sites and
 *       ExternalDomains are cluster-scoped; docs/decisions/0031). The form has two slashes, so a
 *       namespace that happens to be called {@code cluster} is a different tenant;</li>
 *   <li>any other front door — the manager itself.</li>
 * </ul>
 */
final class Tenancy {
    private Tenancy() {
    }

    /** A stable key naming the tenant of {@code manager}; equal keys = same tenant. */
    static String tenant(String manager) {
        if (manager.startsWith("k8s:")) {
            String object = manager.substring("k8s:".length());
            int slash = object.indexOf('/');
            if (slash < 0) return manager;
            // cluster-scoped objects are "cluster/<kind>/<name>": two slashes; namespaced ones have one
            boolean clusterScoped = object.indexOf('/', slash + 1) >= 0;
            return clusterScoped ? "k8s cluster scope" : "k8s namespace " + object.substring(0, slash);
        }
        return manager;
    }

    static boolean sameTenant(String a, String b) {
        return tenant(a).equals(tenant(b));
    }

    /**
     * Refuses ({@code OWNERSHIP}) when {@code requester} is of another tenant than {@code holder},
     * e.g. "container 'lab/web1' is managed by terraform:prod; a service of terraform:other cannot
     * attach to it".
     *
     * @param field      the spec field that names the object ({@code extraGroups[0]}), or null
     * @param heldKind   what is reached into ({@code container})
     * @param heldKey    its key ({@code lab/web1})
     * @param holder     the manager of the object reached into
     * @param asKind     what the requester declares ({@code service})
     * @param requester  the manager applying the spec
     * @param verb       what it would do ({@code attach to it})
     * @param userAction what to do instead
     */
    static void require(String field, String heldKind, String heldKey, String holder, String asKind, String requester,
                        String verb, String userAction) {
        if (sameTenant(holder, requester)) {
            return;
        }
        throw new EngineException(EngineException.Kind.OWNERSHIP, (field == null ? "" : field + ": ") + heldKind + " '"
                + heldKey + "' is managed by " + holder + "; a " + asKind + " of " + requester + " cannot " + verb, userAction);
    }
}
