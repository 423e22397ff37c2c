package io.proxplane.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.proxplane.core.registry.Managers;

import java.util.Locale;

/**
 * The registry's {@code managed_by} for a resource: {@code k8s:<namespace>/<name>} for namespaced
 * kinds, {@code k8s:cluster/<kind>/<name>} for cluster-scoped ones. The kind is part of the
 * cluster-scoped form because a User and a Group of the same name must not share a manager: the
 * engine syncs memberships per manager (docs/decisions/0031).
 */
public final class ManagerNames {
    private ManagerNames() {
    }

    public static String of(HasMetadata r) {
        String ns = r.getMetadata().getNamespace();
        if (ns != null && !ns.isEmpty()) {
            return Managers.kubernetes(ns, r.getMetadata().getName());
        }
        return Managers.check("k8s:cluster/" + r.getKind().toLowerCase(Locale.ROOT) + "/" + r.getMetadata().getName());
    }
}
