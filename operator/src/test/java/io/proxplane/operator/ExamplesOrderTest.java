package io.proxplane.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Namespaced;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kubectl apply -f examples/kubernetes/} on a fresh cluster (with the CRDs, without the
 * chart): kubectl applies the files in lexical order and each file's documents in order, and the
 * API server refuses an object whose namespace does not exist yet. So every namespace an example
 * object lives in must be created by a Namespace object that comes before it. (The mock API server
 * the other tests use does not check namespaces.)
 */
class ExamplesOrderTest {
    /**
     * Scope as the CRD generator declares it: a proxplane kind is namespaced when its class is
     * {@link Namespaced} (the examples parse as generic resources, so the class is looked up by kind).
     */
    static boolean clusterScoped(HasMetadata o) {
        if (o instanceof Namespace) return true;
        try {
            return !Namespaced.class.isAssignableFrom(Class.forName("io.proxplane.operator.api." + o.getKind()));
        } catch (ClassNotFoundException notOurs) {
            return !(o instanceof Namespaced); // a built-in kind (Secret, ...)
        }
    }

    @Test
    void everyNamespaceIsCreatedBeforeItsFirstUse() {
        List<HasMetadata> objects = OperatorFixture.examples(); // file order, then document order: kubectl's
        Set<String> created = new HashSet<>();
        List<String> tooEarly = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof Namespace) created.add(o.getMetadata().getName());
            if (clusterScoped(o)) {
                assertThat(o.getMetadata().getNamespace()).as(o.getKind() + " " + o.getMetadata().getName() + " is cluster-scoped").isNull();
                continue;
            }
            String ns = o.getMetadata().getNamespace();
            assertThat(ns).as(o.getKind() + " " + o.getMetadata().getName() + " names its namespace (kubectl would use the context's)").isNotNull();
            if (!created.contains(ns)) tooEarly.add(o.getKind() + " " + ns + "/" + o.getMetadata().getName());
        }
        assertThat(tooEarly).as("objects applied before their namespace is created").isEmpty();
    }
}
