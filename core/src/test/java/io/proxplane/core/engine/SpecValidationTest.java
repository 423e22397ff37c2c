package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.engine.spec.SiteSpec;
import io.proxplane.core.model.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every spec refuses bad input at construction, naming the field. */
class SpecValidationTest {

    private static void refused(String field, Executable build) {
        assertThatThrownBy(build::execute).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    private static SiteSpec site(String cidr, String gateway) {
        return new SiteSpec("lab", "lab.internal", cidr, gateway, null, null, List.of(), null,
                List.of(new SiteSpec.ProxmoxEndpointSpec("https://pve.example.com:8006", null, "secret/pve")), null, Map.of());
    }

    @Test
    void sites() {
        assertThat(site("10.0.0.0/24", "10.0.0.1").bridge()).isEqualTo("vmbr0");
        refused("networkCidr", () -> site("10.0.0.1/24", "10.0.0.1"));
        refused("gateway", () -> site("10.0.0.0/24", "10.0.1.1"));
        refused("gateway", () -> site("10.0.0.0/24", "10.0.0.255"));
        refused("proxmoxEndpoints.url", () -> new SiteSpec.ProxmoxEndpointSpec("http://pve:8006", null, "x"));
        refused("proxmoxEndpoints", () -> new SiteSpec("lab", "lab.internal", "10.0.0.0/24", "10.0.0.1", null, null,
                null, null, List.of(), null, null));
        refused("dhcpEnd", () -> new SiteSpec("lab", "lab.internal", "10.0.0.0/24", "10.0.0.1", "10.0.0.50", "10.0.0.40",
                null, null, List.of(new SiteSpec.ProxmoxEndpointSpec("https://pve:8006", null, "x")), null, null));
    }

    @Test
    void containers() {
        ContainerSpec ok = ContainerSpec.builder("lab", "Web1", "docker.io/library/nginx:1.27").build();
        assertThat(ok.name()).isEqualTo("web1");
        assertThat(ok.hostname()).isEqualTo("web1");
        assertThat(ok.imageIsTemplate()).isFalse();
        assertThat(ContainerSpec.builder("lab", "t", "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst").build()
                .imageIsTemplate()).isTrue();
        refused("image", () -> ContainerSpec.builder("lab", "x", "nginx").build());
        refused("image", () -> ContainerSpec.builder("lab", "x", "docker.io/library/nginx:1;reboot").build());
        refused("cores", () -> ContainerSpec.builder("lab", "x", "docker.io/a/b:1").cores(0).build());
        refused("memoryMb", () -> ContainerSpec.builder("lab", "x", "docker.io/a/b:1").memoryMb(8).build());
        refused("name", () -> ContainerSpec.builder("lab", "bad_name", "docker.io/a/b:1").build());
        refused("env", () -> ContainerSpec.builder("lab", "x", "docker.io/a/b:1").env(Map.of("1BAD", "v")).build());
        refused("entrypoint", () -> ContainerSpec.builder("lab", "x", "docker.io/a/b:1").entrypoint("a\nb").build());
        refused("sshKeys[0]", () -> ContainerSpec.builder("lab", "x", "docker.io/a/b:1").sshKeys(List.of("not a key")).build());
        refused("owner", () -> ContainerSpec.builder("lab", "x", "docker.io/a/b:1").owner("Root User").build());
    }

    @Test
    void servicesPoolsGroups() {
        refused("http", () -> new ContainerServiceSpec("lab", "c", "s", null, null, null, null));
        refused("http.hostname", () -> new ContainerServiceSpec.Http("bad host", "example.com", null, false, 80));
        refused("http.backendProtocol", () -> new ContainerServiceSpec.Http("www", "example.com", "ftp", false, 80));
        refused("externalPort", () -> new ContainerServiceSpec.Stream(22, 80));
        refused("dnsSrv.protocol", () -> new ContainerServiceSpec.DnsSrv("x", "sctp", 1));
        refused("aclGrants.group", () -> new PoolSpec.AclGrant("g", "u", "PVEVMUser"));
        refused("aclGrants.role", () -> new PoolSpec.AclGrant("g", null, "bad role"));
        refused("quotas.maxCores", () -> new PoolSpec.Quotas(null, -1, null, null));
        refused("gid", () -> new GroupSpec("devs", 10, List.of(), false));
        refused("members[1]", () -> new GroupSpec("devs", null, List.of("ok", "Not OK"), false));
    }
}
