package io.proxplane.operator.mapping;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.proxplane.core.engine.spec.ContainerSpec.PowerState;
import io.proxplane.core.engine.spec.SiteSpec.PlacementPolicy;
import io.proxplane.core.engine.spec.UserSpec;
import io.proxplane.operator.api.Container;
import io.proxplane.operator.api.ContainerService;
import io.proxplane.operator.api.ContainerServiceSpec;
import io.proxplane.operator.api.ContainerSpec;
import io.proxplane.operator.api.Group;
import io.proxplane.operator.api.GroupSpec;
import io.proxplane.operator.api.Pool;
import io.proxplane.operator.api.PoolSpec;
import io.proxplane.operator.api.SecretKeyRef;
import io.proxplane.operator.api.Site;
import io.proxplane.operator.api.SiteSpec;
import io.proxplane.operator.api.User;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpecMapperTest {

    static Container container(String name) {
        Container c = new Container();
        c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a").build());
        c.setSpec(new ContainerSpec());
        c.getSpec().site = "lab";
        c.getSpec().image = "docker.io/library/nginx:1.27";
        return c;
    }

    @Test
    void containerFieldsMapOneToOneAndOmittedSizesTakeTheEngineDefaults() {
        Container c = container("web1");
        c.getSpec().cores = 2;
        c.getSpec().env = Map.of("A", "1");
        c.getSpec().powerState = ContainerSpec.PowerState.Stopped;
        c.getSpec().features = new ContainerSpec.Features();
        c.getSpec().features.nesting = true;
        var spec = SpecMapper.container(c);
        assertThat(spec.name()).isEqualTo("web1");
        assertThat(spec.hostname()).isEqualTo("web1");
        assertThat(spec.cores()).isEqualTo(2);
        var defaults = io.proxplane.core.engine.spec.ContainerSpec.builder("lab", "web1", c.getSpec().image).build();
        assertThat(spec.memoryMb()).isEqualTo(defaults.memoryMb());
        assertThat(spec.diskGb()).isEqualTo(defaults.diskGb());
        assertThat(spec.powerState()).isEqualTo(PowerState.STOPPED);
        assertThat(spec.features().nesting()).isTrue();
        assertThat(spec.env()).containsEntry("A", "1");
    }

    static io.proxplane.operator.api.ExternalDomain domain(java.util.function.Consumer<io.proxplane.operator.api.ExternalDomainSpec> edit) {
        var d = new io.proxplane.operator.api.ExternalDomain();
        d.setMetadata(new ObjectMetaBuilder().withName("apps.example.com").build());
        d.setSpec(new io.proxplane.operator.api.ExternalDomainSpec());
        edit.accept(d.getSpec());
        return d;
    }

    @Test
    void externalDomainTlsAndForwardAuthAreCheckedNamingTheField() {
        assertThatThrownBy(() -> SpecMapper.externalDomain(domain(s -> {
            s.tls = new io.proxplane.operator.api.ExternalDomainSpec.Tls();
            s.tls.certificateFile = "/etc/ssl/a;b.crt";
            s.tls.keyFile = "/etc/ssl/a.key";
        }))).isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("spec.tls.certificateFile"));
        assertThatThrownBy(() -> SpecMapper.externalDomain(domain(s -> {
            s.tls = new io.proxplane.operator.api.ExternalDomainSpec.Tls();
            s.tls.secretName = "apps-tls";
        }))).isInstanceOfSatisfying(InvalidSpecException.class, e -> {
            assertThat(e.field()).isEqualTo("spec.tls.secretName");
            assertThat(e.getMessage()).contains("not supported");
        });
        assertThatThrownBy(() -> SpecMapper.externalDomain(domain(s -> {
            s.authServerUrl = "https://auth.example.com";
            s.forwardAuth = new io.proxplane.operator.api.ExternalDomainSpec.ForwardAuth();
            s.forwardAuth.identityHeaders = List.of("Host");
        }))).isInstanceOfSatisfying(InvalidSpecException.class,
                e -> assertThat(e.field()).isEqualTo("spec.forwardAuth.identityHeaders[0]"));
        var spec = SpecMapper.externalDomain(domain(s -> {
            s.authServerUrl = "https://auth.example.com";
            s.forwardAuth = new io.proxplane.operator.api.ExternalDomainSpec.ForwardAuth();
            s.forwardAuth.preset = "authelia";
            s.tls = new io.proxplane.operator.api.ExternalDomainSpec.Tls();
            s.tls.acmeEmail = "ops@example.com";
        }));
        assertThat(spec.tlsSource()).containsEntry("acmeEmail", "ops@example.com");
        assertThat(spec.forwardAuth().preset()).isEqualTo("authelia");
    }

    @Test
    void refusalsNameTheFieldAsTheUserWroteIt() {
        Container c = container("web1");
        c.getSpec().memoryMb = 8L;
        assertInvalid(() -> SpecMapper.container(c), "spec.memoryMb", "between 16");
        Container e = container("web1");
        e.getSpec().env = Map.of("1BAD", "x");
        assertInvalid(() -> SpecMapper.container(e), "spec.env", "variable names");
        Container n = container("Web_1");
        assertInvalid(() -> SpecMapper.container(n), "metadata.name", "");

        ContainerService s = new ContainerService();
        s.setMetadata(new ObjectMetaBuilder().withName("svc").withNamespace("team-a").build());
        s.setSpec(new ContainerServiceSpec());
        s.getSpec().container = "web1";
        s.getSpec().http = new ContainerServiceSpec.Http();
        s.getSpec().http.hostname = "www";
        s.getSpec().http.domain = "nodot";
        s.getSpec().http.internalPort = 80;
        assertThat(SpecMapper.service(s, "lab").http().domain()).isEqualTo("nodot");
        s.getSpec().http.hostname = "-bad";
        assertInvalid(() -> SpecMapper.service(s, "lab"), "spec.http.hostname", "");
        s.getSpec().http = null;
        assertInvalid(() -> SpecMapper.service(s, "lab"), "spec.http", "exactly one of");

        Pool p = new Pool();
        p.setMetadata(new ObjectMetaBuilder().withName("web").build());
        p.setSpec(new PoolSpec());
        var g = new PoolSpec.AclGrant();
        g.group = "devs";
        g.user = "alice";
        g.role = "PVEVMUser";
        p.getSpec().aclGrants = List.of(g);
        assertInvalid(() -> SpecMapper.pool(p), "spec.aclGrants[0].group", "exactly one");

        Group gr = new Group();
        gr.setMetadata(new ObjectMetaBuilder().withName("devs").build());
        gr.setSpec(new GroupSpec());
        gr.getSpec().gid = 5;
        assertInvalid(() -> SpecMapper.group(gr), "spec.gid", "between 1000");
    }

    @Test
    void siteEndpointsReferenceTheirSecretAndErrorsNameTheEndpoint() {
        Site s = new Site();
        s.setMetadata(new ObjectMetaBuilder().withName("lab").build());
        s.setSpec(new SiteSpec());
        s.getSpec().dnsDomain = "lab.internal";
        s.getSpec().networkCidr = "10.20.0.0/24";
        s.getSpec().gateway = "10.20.0.1";
        s.getSpec().placementPolicy = SiteSpec.PlacementPolicy.FirstFit;
        var e = new SiteSpec.ProxmoxEndpoint();
        e.url = "https://pve:8006";
        e.credentialsSecretRef = new SecretKeyRef("proxplane-system", "token", null);
        s.getSpec().proxmoxEndpoints = List.of(e);
        var spec = SpecMapper.site(s);
        assertThat(spec.proxmoxEndpoints().get(0).credentialsRef()).isEqualTo("proxplane-system/token");
        assertThat(spec.placementPolicy()).isEqualTo(PlacementPolicy.FIRST_FIT);
        e.url = "http://pve:8006";
        assertInvalid(() -> SpecMapper.site(s), "spec.proxmoxEndpoints[0].url", "https");
        e.url = "https://pve:8006";
        s.getSpec().gateway = "10.30.0.1";
        assertInvalid(() -> SpecMapper.site(s), "spec.gateway", "inside");
    }

    @Test
    void userPasswordIsPassedThroughAndNeverPrinted() {
        User u = new User();
        u.setMetadata(new ObjectMetaBuilder().withName("alice").build());
        u.setSpec(new io.proxplane.operator.api.UserSpec());
        u.getSpec().status = io.proxplane.operator.api.UserSpec.AccountStatus.Suspended;
        UserSpec spec = SpecMapper.user(u, "correct horse");
        assertThat(spec.username()).isEqualTo("alice");
        assertThat(spec.status()).isEqualTo(UserSpec.Status.SUSPENDED);
        assertThat(spec.toString()).doesNotContain("correct horse");
        assertInvalid(() -> SpecMapper.user(u, "short"), "spec.passwordSecretRef", "8 to 1024");
        u.getSpec().username = "Alice";
        assertInvalid(() -> SpecMapper.user(u, null), "spec.username", "");
    }

    static void assertInvalid(Runnable r, String field, String reason) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(InvalidSpecException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.reason()).contains(reason);
        });
    }
}
