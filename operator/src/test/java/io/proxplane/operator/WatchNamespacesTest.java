package io.proxplane.operator;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.proxplane.operator.api.Container;
import io.proxplane.operator.api.ContainerSpec;
import io.proxplane.operator.api.SecretKeyRef;
import io.proxplane.operator.api.Site;
import io.proxplane.operator.api.SiteSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.proxplane.operator.OperatorFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/** PROXPLANE_WATCH_NAMESPACES: Containers elsewhere are left alone (no finalizer, no status, nothing in Proxmox). */
class WatchNamespacesTest {
    static final Duration WAIT = Duration.ofSeconds(45);
    static OperatorFixture f;
    static OperatorFixture.Running op;

    @BeforeAll
    static void up() {
        f = new OperatorFixture("pve");
        for (String ns : List.of("team-a", "team-b")) {
            f.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        op = f.startOperator("watcher", null, Duration.ofMinutes(5), Set.of("team-a"));
    }

    @AfterAll
    static void down() {
        if (f != null) f.close();
    }

    static Container container(String ns, String name) {
        Container c = new Container();
        c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        c.setSpec(new ContainerSpec());
        c.getSpec().site = "lab";
        c.getSpec().image = "docker.io/library/nginx:1.27";
        c.getSpec().memoryMb = 256L;
        c.getSpec().diskGb = 2L;
        return c;
    }

    @Test
    void containersOutsideTheWatchedNamespacesAreLeftAlone() {
        f.client.resource(f.tokenSecret(OperatorFixture.SYSTEM_NS, "pve-token")).create();
        Site site = new Site();
        site.setMetadata(new ObjectMetaBuilder().withName("lab").build());
        site.setSpec(new SiteSpec());
        site.getSpec().dnsDomain = "lab.internal";
        site.getSpec().networkCidr = "10.30.0.0/24";
        site.getSpec().gateway = "10.30.0.1";
        var endpoint = new SiteSpec.ProxmoxEndpoint();
        endpoint.url = f.sim.baseUrl();
        endpoint.credentialsSecretRef = new SecretKeyRef(OperatorFixture.SYSTEM_NS, "pve-token", null);
        site.getSpec().proxmoxEndpoints = List.of(endpoint);
        f.client.resource(site).create();

        f.client.resource(container("team-b", "ignored")).create();
        f.client.resource(container("team-a", "watched")).create();
        await("watched container Ready", WAIT, () -> f.client.resources(Container.class).inNamespace("team-a")
                .withName("watched").get(), OperatorFixture::ready);
        Container ignored = f.client.resources(Container.class).inNamespace("team-b").withName("ignored").get();
        assertThat(ignored.getStatus()).isNull();
        assertThat(ignored.getMetadata().getFinalizers()).isEmpty();
        assertThat(op.engine().registry().containers().list()).extracting(c -> c.name()).containsExactly("watched");
        // events about the cluster-scoped Site: in `default` with involvedObject.namespace empty (what the API
        // server accepts), found the way `kubectl describe site lab` looks them up: all namespaces, selected
        // by involvedObject name, namespace "", kind and uid
        Site lab = f.client.resources(Site.class).withName("lab").get();
        var described = f.client.v1().events().inAnyNamespace().list().getItems().stream()
                .filter(e -> "lab".equals(e.getInvolvedObject().getName()) && e.getInvolvedObject().getNamespace() == null
                        && "Site".equals(e.getInvolvedObject().getKind())
                        && lab.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
                .toList();
        assertThat(described).isNotEmpty().allMatch(e -> e.getMetadata().getNamespace().equals("default"));
        // and about the namespaced Container: in its own namespace
        assertThat(f.client.v1().events().inNamespace("team-a").list().getItems())
                .anyMatch(e -> e.getInvolvedObject().getKind().equals("Container") && "team-a".equals(e.getInvolvedObject().getNamespace()));
    }
}
