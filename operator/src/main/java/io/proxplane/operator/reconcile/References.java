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
            EventSourceContext<P> ctx, Class<S> secondary, String index, Function<P, List<String>> keysOfPrimary) {
        return byIndex(ctx, secondary, index, keysOfPrimary, References::key);
    }

    /** As above, with the secondary's key computed by {@code keyOfSecondary} (e.g. a Group's POSIX name). */
    public static <S extends HasMetadata, P extends HasMetadata> InformerEventSource<S, P> byIndex(
            EventSourceContext<P> ctx, Class<S> secondary, String index, Function<P, List<String>> keysOfPrimary,
            Function<S, String> keyOfSecondary) {
        ctx.getPrimaryCache().addIndexer(index, p -> {
            List<String> keys = keysOfPrimary.apply(p);
            return keys == null ? List.of() : keys.stream().filter(Objects::nonNull).distinct().toList();
        });
        var config = InformerEventSourceConfiguration.from(secondary, ctx.getPrimaryResourceClass())
                .withName(index)
                .withSecondaryToPrimaryMapper((S s) -> ctx.getPrimaryCache().byIndex(index, keyOfSecondary.apply(s)).stream()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((P p) -> keysOfPrimary.apply(p) == null ? Set.<ResourceID>of()
                        : keysOfPrimary.apply(p).stream().filter(Objects::nonNull).map(References::id).collect(Collectors.toSet()))
                .withWatchAllNamespaces()
                .build();
        return new InformerEventSource<>(config, ctx);
    }

    static ResourceID id(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? new ResourceID(key) : new ResourceID(key.substring(slash + 1), key.substring(0, slash));
    }
}
