package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ExternalDomainSpec;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.engine.spec.UserSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.proxplane.core.engine.EngineFixture.SITE;
import static io.proxplane.core.engine.EngineFixture.TF;
import static io.proxplane.core.engine.EngineFixture.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A manager reaches only into its own tenant's objects: a service attaches to a container of the
 * same Terraform workspace or Kubernetes namespace, a user joins (through {@code extraGroups})
 * only groups of its own tenant. A group's {@code members} may name any user.
 */
class TenancyEngineTest {
    static final String OTHER = "terraform:other";
    static EngineFixture f;

    @BeforeAll
    static void up() {
        f = new EngineFixture();
        f.engine.sites().apply(TF, EngineFixture.siteSpec(f.sim));
        f.engine.externalDomains().apply(TF, new ExternalDomainSpec("apps.example.com", SITE, Map.of(), null));
    }

    @AfterAll
    static void down() {
        f.close();
    }

    static UserSpec user(String name, List<String> groups) {
        return new UserSpec(name, name, "Test", name + "@example.com", null, List.of(), null, null, null, groups);
    }

    @Test
    void aServiceCannotAttachToAContainerOfAnotherWorkspace() {
        f.engine.containers().apply(TF, container("web1").build());
        for (var spec : List.of(
                ContainerServiceSpec.http(SITE, "web1", "evil", new ContainerServiceSpec.Http("evil", "apps.example.com", "http", false, 80)),
                ContainerServiceSpec.tcp(SITE, "web1", "ssh", 22, null))) {
            assertThatThrownBy(() -> f.engine.services().apply(OTHER, spec))
                    .isInstanceOfSatisfying(EngineException.class, e -> {
                        assertThat(e.kind()).isEqualTo(EngineException.Kind.OWNERSHIP);
                        assertThat(e.getMessage()).contains(
                                "container 'lab/web1' is managed by terraform:prod; a service of terraform:other cannot attach to it");
                    });
        }
        long id = f.engine.registry().containers().findByName(siteId(), "web1").orElseThrow().id();
        assertThat(f.engine.registry().services().listBySite(siteId())).noneMatch(s -> s.spec().containerId() == id);
        // the container's own workspace may
        assertThat(f.engine.services().apply(TF, ContainerServiceSpec.tcp(SITE, "web1", "ssh", 22, null)).status().externalPort())
                .isNotNull();
        f.engine.containers().delete(TF, SITE, "web1");
    }

    @Test
    void inKubernetesTheTenantIsTheNamespace() {
        f.engine.containers().apply("k8s:team-a/kweb", container("kweb").build());
        // every Kubernetes object has its own manager; a service of the same namespace may attach
        assertThat(f.engine.services().apply("k8s:team-a/kweb-http", ContainerServiceSpec.http(SITE, "kweb", "http",
                new ContainerServiceSpec.Http("kweb", "apps.example.com", "http", false, 80))).status().fqdn())
                .isEqualTo("kweb.apps.example.com");
        assertThatThrownBy(() -> f.engine.services().apply("k8s:team-b/steal", ContainerServiceSpec.tcp(SITE, "kweb", "ssh", 22, null)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.OWNERSHIP);
                    assertThat(e.getMessage()).contains("container 'lab/kweb' is managed by k8s:team-a/kweb;"
                            + " a service of k8s:team-b/steal cannot attach to it");
                });
        // a namespace called "cluster" is not the cluster scope
        assertThatThrownBy(() -> f.engine.services().apply("k8s:cluster/steal", ContainerServiceSpec.tcp(SITE, "kweb", "ssh", 22, null)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.OWNERSHIP));
        f.engine.containers().delete("k8s:team-a/kweb", SITE, "kweb");
    }

    @Test
    void aUserCannotJoinAGroupOfAnotherWorkspaceButAGroupMayListAnyUser() {
        f.engine.groups().apply(TF, new GroupSpec("ops", null, List.of(), true));
        assertThatThrownBy(() -> f.engine.users().apply(OTHER, user("mallory", List.of("ops"))))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.OWNERSHIP);
                    assertThat(e.getMessage()).contains("extraGroups[0]: group 'ops' is managed by terraform:prod;"
                            + " a user of terraform:other cannot join it");
                });
        // refused before any change: the user was not registered either
        assertThat(f.engine.users().observe("mallory")).isEmpty();
        assertThat(f.engine.groups().observe("ops").orElseThrow().members()).isEmpty();

        // the group's manager may add a user of another workspace explicitly
        f.engine.users().apply(OTHER, user("dave", List.of()));
        assertThat(f.engine.groups().apply(TF, new GroupSpec("ops", null, List.of("dave"), true)).status().members())
                .containsExactly("dave");
        // and an existing user of the other workspace still cannot add itself to another group of TF
        f.engine.groups().apply(TF, new GroupSpec("web", null, List.of(), false));
        assertThatThrownBy(() -> f.engine.users().apply(OTHER, user("dave", List.of("web"))))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.OWNERSHIP));
        assertThat(f.engine.users().observe("dave").orElseThrow().groups()).containsExactly("ops");

        // Kubernetes: Users and Groups are cluster-scoped, so they share a tenant
        f.engine.groups().apply("k8s:cluster/group/devs", new GroupSpec("devs", null, List.of(), false));
        assertThat(f.engine.users().apply("k8s:cluster/user/erin", user("erin", List.of("devs"))).status().groups())
                .containsExactly("devs");
        assertThatThrownBy(() -> f.engine.users().apply("k8s:cluster/user/erin", user("erin", List.of("devs", "ops"))))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.getMessage()).contains("extraGroups[1]"));
        // a user of the same workspace joins freely
        assertThat(f.engine.users().apply(TF, user("frank", List.of("ops", "web"))).status().groups()).containsExactly("ops", "web");
    }

    private static long siteId() {
        return f.engine.registry().sites().findByName(SITE).orElseThrow().id();
    }
}
