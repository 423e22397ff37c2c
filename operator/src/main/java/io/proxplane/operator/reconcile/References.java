package io.proxplane.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Event sources for objects a primary refers to by name (a Container's Site, a User's password
 * Secret): an index on the primary cache maps a changed secondary to every primary naming it, so
 * "a Site or Secret change requeues what depends on it" without scanning.
 */
public final class References {
    private References() {
    }

    /** Index key of a secondary: {@code <namespace>/<name>} or {@code <name>} for cluster-scoped ones. */
    public static String key(HasMetadata r) {
        String ns = r.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? r.getMetadata().getName() : ns + "/" + r.getMetadata().getName();
    }

    public static <S extends HasMetadata, P extends HasMetadata> InformerEventSource<S, P> byIndex(
            EventSourceContext<P> ctx, Class<S> secondary, Set<String> namespaces, String index,
            Function<P, List<String>> keysOfPrimary) {
        return byIndex(ctx, secondary, namespaces, index, keysOfPrimary, References::key);
    }

    /** As above, with the secondary's key computed by {@code keyOfSecondary} (e.g. a Group's POSIX name). */
    public static <S extends HasMetadata, P extends HasMetadata> InformerEventSource<S, P> byIndex(
            EventSourceContext<P> ctx, Class<S> secondary, Set<String> namespaces, String index,
            Function<P, List<String>> keysOfPrimary, Function<S, String> keyOfSecondary) {
        ctx.getPrimaryCache().addIndexer(index, p -> {
            List<String> keys = keysOfPrimary.apply(p);
            return keys == null ? List.of() : keys.stream().filter(Objects::nonNull).distinct().toList();
        });
        var builder = InformerEventSourceConfiguration.from(secondary, ctx.getPrimaryResourceClass())
                .withName(index)
                .withSecondaryToPrimaryMapper((S s) -> ctx.getPrimaryCache().byIndex(index, keyOfSecondary.apply(s)).stream()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((P p) -> keysOfPrimary.apply(p) == null ? Set.<ResourceID>of()
                        : keysOfPrimary.apply(p).stream().filter(Objects::nonNull).map(References::id).collect(Collectors.toSet()))
                .withOnUpdateFilter(References::changed);
        return new InformerEventSource<>(watching(builder, secondary, namespaces).build(), ctx);
    }

    /**
     * Cluster-scoped secondaries are watched cluster-wide; namespaced ones only where the operator
     * may read them (the chart's RBAC: all namespaces, or the watched ones plus its own).
     */
    public static <S extends HasMetadata> InformerEventSourceConfiguration.Builder<S> watching(
            InformerEventSourceConfiguration.Builder<S> builder, Class<S> secondary, Set<String> namespaces) {
        boolean namespaced = io.fabric8.kubernetes.api.model.Namespaced.class.isAssignableFrom(secondary);
        return !namespaced || namespaces.isEmpty() ? builder.withWatchAllNamespaces() : builder.withNamespaces(namespaces);
    }

    /**
     * Whether an update of a referenced object matters to the objects naming it: a new spec, a
     * flip of its Ready condition, or new Secret data. Status-only churn (a Site's poll time every
     * resync) must not re-apply every Container of the site.
     */
    public static boolean changed(HasMetadata now, HasMetadata before) {
        if (!Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())) return true;
        if (now instanceof io.fabric8.kubernetes.api.model.Secret n && before instanceof io.fabric8.kubernetes.api.model.Secret b) {
            return !Objects.equals(n.getData(), b.getData()) || !Objects.equals(n.getStringData(), b.getStringData());
        }
        if (now instanceof io.fabric8.kubernetes.client.CustomResource<?, ?> n
                && before instanceof io.fabric8.kubernetes.client.CustomResource<?, ?> b) {
            return EngineReconciler.isReady(status(n)) != EngineReconciler.isReady(status(b));
        }
        return !Objects.equals(now.getMetadata().getResourceVersion(), before.getMetadata().getResourceVersion());
    }

    private static io.proxplane.operator.api.ProxplaneStatus status(io.fabric8.kubernetes.client.CustomResource<?, ?> r) {
        return r.getStatus() instanceof io.proxplane.operator.api.ProxplaneStatus s ? s : null;
    }

    static ResourceID id(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? new ResourceID(key) : new ResourceID(key.substring(slash + 1), key.substring(0, slash));
    }
}
