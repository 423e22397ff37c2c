package io.proxplane.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.proxplane.core.registry.Claim;

import java.util.Map;

/**
 * The resource claim a custom resource acts with: its manager ({@link ManagerNames}) and, as the
 * holder, its {@code metadata.uid} — so a CR deleted with its finalizer removed by hand and then
 * recreated under the same name (a new uid) does not silently take the old object over: it is
 * refused with a claim conflict until it carries {@value #ADOPT_ANNOTATION}{@code : "true"}.
 */
public final class Claims {
    /** Set to "true" on a custom resource to take over the existing object of its name (an adoption). */
    public static final String ADOPT_ANNOTATION = "proxplane.io/adopt";

    private Claims() {}

    public static Claim of(HasMetadata r) {
        String manager = ManagerNames.of(r);
        String uid = r.getMetadata().getUid();
        if (uid == null || uid.isBlank()) {
            // every object the API server stores has a uid; without one (a test double) act as the manager
            return Claim.asManager(manager);
        }
        String holder = "k8s-uid:" + uid;
        return adopt(r) ? Claim.adopt(manager, holder) : Claim.apply(manager, holder);
    }

    static boolean adopt(HasMetadata r) {
        Map<String, String> a = r.getMetadata().getAnnotations();
        return a != null && "true".equalsIgnoreCase(String.valueOf(a.get(ADOPT_ANNOTATION)).trim());
    }
}
