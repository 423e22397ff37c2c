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

    private static ContainerSpec.Builder c() {
        return ContainerSpec.builder("lab", "x", "docker.io/a/b:1");
    }

    @Test
    void envValuesAndNamesThatWouldBreakTheGuestConfigAreRefusedNamingTheVariable() {
        // a newline would end the line in the guest's config file; the client refused it only as an internal error
        refused("env.GREETING", () -> c().env(Map.of("GREETING", "hello\nworld")).build());
        refused("env.CR", () -> c().env(Map.of("CR", "a\rb")).build());
        refused("env.NUL", () -> c().env(Map.of("NUL", "a\0b")).build());
        refused("env.TAB", () -> c().env(Map.of("TAB", "a\tb")).build());
        refused("env.ESC", () -> c().env(Map.of("ESC", "a\u001bb")).build());
        refused("env.DEL", () -> c().env(Map.of("DEL", "a\u007fb")).build());
        refused("env.LONG", () -> c().env(Map.of("LONG", "x".repeat(4097))).build());
        refused("env", () -> c().env(Map.of("A=B", "v")).build());
        refused("env", () -> c().env(Map.of("A-B", "v")).build());
        refused("env", () -> c().env(Map.of("", "v")).build());
        refused("env", () -> c().env(Map.of("X".repeat(129), "v")).build());
        java.util.Map<String, String> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 129; i++) many.put("V" + i, "v");
        refused("env", () -> c().env(many).build());
        java.util.Map<String, String> big = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 20; i++) big.put("V" + i, "v".repeat(4000));
        refused("env", () -> c().env(big).build());
        java.util.Map<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("EMPTY", null);
        refused("env.EMPTY", () -> c().env(nullValue).build());
        // what a program reasonably puts in its environment is kept as given
        ContainerSpec ok = c().env(Map.of("PATH", "/usr/bin:/bin", "MOTD", "Grüße, 'quoted' $HOME", "EMPTY", "")).build();
        assertThat(ok.env()).containsEntry("MOTD", "Grüße, 'quoted' $HOME").containsEntry("EMPTY", "");
        // the message shows the rejected value escaped, so it cannot inject lines itself
        assertThatThrownBy(() -> c().env(Map.of("GREETING", "hello\nworld")).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void everyOtherValueThatReachesProxmoxOrAConfigIsChecked() {
        refused("entrypoint", () -> c().entrypoint("/bin/sh\u0000-c").build());
        refused("entrypoint", () -> c().entrypoint("x".repeat(1025)).build());
        refused("sshKeys[0]", () -> c().sshKeys(List.of("ssh-ed25519 AAAA comment\u001b[31m")).build());
        refused("sshKeys[0]", () -> c().sshKeys(List.of("ssh-ed25519 AAAA" + "A".repeat(20_000))).build());
        refused("sshKeys", () -> c().sshKeys(java.util.Collections.nCopies(101, "ssh-ed25519 AAAA k")).build());
        // the registry keeps at most 512 characters of an image reference: refused here, not as a database error
        refused("image", () -> c().image("docker.io/library/" + "n".repeat(600) + ":1").build());
        // a storage id goes into the rootfs property string: a comma would add options
        refused("storage", () -> new SiteSpec.NodeOverride("local-lvm,mp=/host", null, null, false));
        refused("templateStorage", () -> new SiteSpec.NodeOverride(null, "local=1", null, false));
        assertThat(new SiteSpec.NodeOverride("local-lvm", "cephfs_1.a", null, false).storage()).isEqualTo("local-lvm");
        // the token id goes into an HTTP header
        refused("proxmoxEndpoints.tokenId", () -> new SiteSpec.ProxmoxEndpointSpec("https://pve:8006", "ro\u0000ot@pam!t", "x"));
        refused("mail", () -> new io.proxplane.core.engine.spec.UserSpec("bob", null, null, "bob\u0000@example.com", null, null,
                null, null, null, null));
        refused("mail", () -> new io.proxplane.core.engine.spec.UserSpec("bob", null, null, "b".repeat(250) + "@example.com", null,
                null, null, null, null, null));
        refused("password", () -> new io.proxplane.core.engine.spec.UserSpec("bob", null, null, null, null, null,
                "secret\u0000password", null, null, null));
        // a key file's one trailing line end is not part of the key (file() in HCL, a YAML block scalar)
        assertThat(new io.proxplane.core.engine.spec.UserSpec("bob", null, null, null, null,
                List.of("ssh-ed25519 AAAA bob\n", "ssh-ed25519 BBBB bob\r\n"), null, null, null, null).sshKeys())
                .containsExactly("ssh-ed25519 AAAA bob", "ssh-ed25519 BBBB bob");
        refused("sshKeys[0]", () -> new io.proxplane.core.engine.spec.UserSpec("bob", null, null, null, null,
                List.of("ssh-ed25519 AAAA bob\n\n"), null, null, null, null));
        refused("sshKeys[0]", () -> new io.proxplane.core.engine.spec.UserSpec("bob", null, null, null, null,
                List.of("ssh-ed25519 AAAA bob\nssh-rsa BBBB eve"), null, null, null, null));
        refused("tlsSource.secretName", () -> new io.proxplane.core.engine.spec.ExternalDomainSpec("apps.example.com", null,
                Map.of("secretName", "a\nb"), null));
        refused("tlsSource.acmeEmail", () -> new io.proxplane.core.engine.spec.ExternalDomainSpec("apps.example.com", null,
                Map.of("acmeEmail", "a\nb"), null));
    }

    @Test
    void tlsSourceIsTypedAtTheFrontDoor() {
        // a path nginx would read as two tokens, and a newline that could forge a log line
        refused("tlsSource.certificateFile", () -> domain(Map.of("certificateFile", "/etc/ssl/a;b.crt", "keyFile", "/etc/ssl/a.key")));
        refused("tlsSource.keyFile", () -> domain(Map.of("certificateFile", "/etc/ssl/a.crt", "keyFile", "etc/ssl/a.key")));
        refused("tlsSource.keyFile", () -> domain(Map.of("certificateFile", "/etc/ssl/a.crt")));
        refused("tlsSource.certificateFile", () -> domain(Map.of("keyFile", "/etc/ssl/a.key")));
        refused("tlsSource.acmeEmail", () -> domain(Map.of("acmeEmail", "not-a-mail")));
        refused("tlsSource.acmeDirectoryUrl", () -> domain(Map.of("acmeEmail", "ops@example.com", "acmeDirectoryUrl", "ftp://x")));
        refused("tlsSource.acmeEmail", () -> domain(Map.of("acmeDirectoryUrl", "https://acme.example.com/dir")));
        refused("tlsSource.acmeEmail", () -> domain(Map.of("acmeEmail", "ops@example.com", "certificateFile", "/a.crt",
                "keyFile", "/a.key")));
        refused("tlsSource.acmeEabHmacKeyFile", () -> domain(Map.of("acmeEmail", "ops@example.com", "acmeEabKeyId", "kid-1")));
        refused("tlsSource.secretName", () -> domain(Map.of("secretName", "apps-tls")));
        refused("tlsSource.certfile", () -> domain(Map.of("certfile", "/a.crt")));
        assertThatThrownBy(() -> domain(Map.of("certificateFile", "/etc/ssl/a\nINFO forged line", "keyFile", "/a.key")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(domain(Map.of("certificateFile", "/etc/ssl/a.crt", "keyFile", "/etc/ssl/private/a.key")).tlsSource())
                .containsEntry("certificateFile", "/etc/ssl/a.crt");
        assertThat(domain(Map.of("acmeEmail", "ops@example.com", "acmeDirectoryUrl", "https://127.0.0.1:14000/dir",
                "acmeEabKeyId", "kid-1", "acmeEabHmacKeyFile", "/etc/proxplane/eab.key")).tlsSource()).hasSize(4);
    }

    private static io.proxplane.core.engine.spec.ExternalDomainSpec domain(Map<String, String> tls) {
        return new io.proxplane.core.engine.spec.ExternalDomainSpec("apps.example.com", null, tls, null);
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
