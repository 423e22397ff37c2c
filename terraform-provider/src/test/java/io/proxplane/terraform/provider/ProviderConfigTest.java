package io.proxplane.terraform.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.core.proxmox.TlsTrust;
import io.proxplane.terraform.diag.Diagnostic;
import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.value.TfValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderConfigTest {

    static final String PIN = "AB:".repeat(31) + "AB";

    @Test
    void attributesWinOverEnvironment() {
        Diagnostics d = new Diagnostics();
        ProviderConfig c = ProviderConfig.validate(TfValue.obj(Map.of(
                        "endpoint", TfValue.of("https://pve.example:8006"),
                        "tls_fingerprint", TfValue.of(PIN))),
                Map.of("PROXMOX_VE_ENDPOINT", "https://other:8006", "PROXMOX_VE_API_TOKEN", "tf@pve!ci=s3cret"), d);
        assertThat(d.all()).isEmpty();
        assertThat(c.endpoint().getHost()).isEqualTo("pve.example");
        assertThat(c.tokenId()).isEqualTo("tf@pve!ci");
        assertThat(c.tokenSecret()).isEqualTo("s3cret");
        assertThat(c.tls()).isInstanceOf(TlsTrust.PinnedSha256.class);
    }

    @Test
    void everyProblemPointsAtItsAttribute() {
        Diagnostics d = new Diagnostics();
        ProviderConfig c = ProviderConfig.validate(TfValue.obj(Map.of(
                "endpoint", TfValue.of("pve.example"),
                "api_token", TfValue.of("secret-without-id"),
                "tls_fingerprint", TfValue.of("zz"),
                "registry_url", TfValue.of("mysql://x"))), Map.of(), d);
        assertThat(c).isNull();
        assertThat(d.all()).extracting(x -> x.path().toString())
                .containsExactlyInAnyOrder("endpoint", "api_token", "tls_fingerprint", "registry_url");
        assertThat(d.all()).extracting(Diagnostic::detail).noneMatch(s -> s.contains("secret-without-id"));
    }

    @Test
    void missingSettingsNameTheEnvironmentVariable() {
        Diagnostics d = new Diagnostics();
        ProviderConfig.validate(TfValue.obj(Map.of()), Map.of(), d);
        assertThat(d.all()).extracting(Diagnostic::detail)
                .anyMatch(s -> s.contains("PROXMOX_VE_ENDPOINT")).anyMatch(s -> s.contains("PROXMOX_VE_API_TOKEN"));
    }

    @Test
    void conflictingTlsSettingsAreRefused() {
        Diagnostics d = new Diagnostics();
        ProviderConfig.validate(TfValue.obj(Map.of("insecure", TfValue.of(true), "tls_fingerprint", TfValue.of(PIN))),
                Map.of("PROXMOX_VE_ENDPOINT", "https://pve:8006", "PROXMOX_VE_API_TOKEN", "a@pve!ci=c"), d);
        assertThat(d.all()).singleElement().satisfies(x -> {
            assertThat(x.summary()).isEqualTo("Conflicting TLS settings");
            assertThat(x.path().toString()).isEqualTo("tls_fingerprint");
        });
    }

    @Test
    void unknownValuesAreNotErrorsButYieldNoConfigYet() {
        Diagnostics d = new Diagnostics();
        ProviderConfig c = ProviderConfig.validate(TfValue.obj(Map.of("endpoint", TfValue.UNKNOWN, "api_token", TfValue.of("a@pve!ci=c"))),
                Map.of(), d);
        assertThat(d.all()).isEmpty();
        assertThat(c).isNull();
    }

    @Test
    void workspaceCredentialsAndRegistryForTheManagedResources() {
        Diagnostics d = new Diagnostics();
        ProviderConfig c = ProviderConfig.validate(TfValue.obj(Map.of(
                        "credentials", TfValue.obj(Map.of("cluster-b", TfValue.of("tf@pve!cib=bsecret"))),
                        "registry_url", TfValue.of("postgresql://proxplane:p%40ss@db.example:5433/registry?sslmode=require"))),
                Map.of("PROXMOX_VE_ENDPOINT", "https://pve:8006", "PROXMOX_VE_API_TOKEN", "tf@pve!cia=asecret", "TF_WORKSPACE", "prod"), d);
        assertThat(d.all()).isEmpty();
        assertThat(c.manager()).isEqualTo("terraform:prod");
        assertThat(c.credentials()).containsEntry("default", new ProviderConfig.Token("tf@pve!cia", "asecret"))
                .containsEntry("cluster-b", new ProviderConfig.Token("tf@pve!cib", "bsecret"));
        var registry = c.registryConfig();
        assertThat(registry.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/registry?sslmode=require");
        assertThat(registry.username()).isEqualTo("proxplane");
        assertThat(registry.password()).isEqualTo("p@ss");
        assertThat(c.toString()).doesNotContain("asecret").doesNotContain("bsecret").doesNotContain("p@ss");

        ProviderConfig defaults = ProviderConfig.validate(TfValue.obj(Map.of()),
                Map.of("PROXMOX_VE_ENDPOINT", "https://pve:8006", "PROXMOX_VE_API_TOKEN", "tf@pve!cia=asecret"), new Diagnostics());
        assertThat(defaults.manager()).isEqualTo("terraform:default");
        assertThat(defaults.registryConfig()).isNull();
    }

    @Test
    void badWorkspaceAndCredentialsPointAtTheirAttribute() {
        Diagnostics d = new Diagnostics();
        ProviderConfig.validate(TfValue.obj(Map.of(
                        "workspace", TfValue.of("my workspace"),
                        "credentials", TfValue.obj(Map.of("b", TfValue.of("no-token-shape"))))),
                Map.of("PROXMOX_VE_ENDPOINT", "https://pve:8006", "PROXMOX_VE_API_TOKEN", "tf@pve!cia=asecret"), d);
        assertThat(d.all()).extracting(x -> x.path().toString()).containsExactlyInAnyOrder("workspace", "credentials[\"b\"]");
        assertThat(d.all()).extracting(Diagnostic::detail).noneMatch(s -> s.contains("no-token-shape"));
    }

    @Test
    void credentialsFromTheEnvironmentUnlessTheAttributeNamesTheSameReference() {
        Diagnostics d = new Diagnostics();
        ProviderConfig c = ProviderConfig.validate(TfValue.obj(Map.of(
                        "credentials", TfValue.obj(Map.of("cluster-b", TfValue.of("tf@pve!attr=fromattr"))))),
                Map.of("PROXMOX_VE_ENDPOINT", "https://pve:8006", "PROXMOX_VE_API_TOKEN", "tf@pve!cia=asecret",
                        "PROXPLANE_CREDENTIALS", "cluster-b=tf@pve!env=fromenv, cluster-c=tf@pve!cic=csecret"), d);
        assertThat(d.all()).isEmpty();
        assertThat(c.credentials().get("cluster-b").secret()).isEqualTo("fromattr");
        assertThat(c.credentials().get("cluster-c").secret()).isEqualTo("csecret");

        Diagnostics bad = new Diagnostics();
        ProviderConfig.validate(TfValue.obj(Map.of()), Map.of("PROXMOX_VE_ENDPOINT", "https://pve:8006",
                "PROXMOX_VE_API_TOKEN", "tf@pve!cia=asecret", "PROXPLANE_CREDENTIALS", "justasecretvalue"), bad);
        assertThat(bad.all()).singleElement().satisfies(x -> {
            assertThat(x.path().toString()).isEqualTo("credentials");
            assertThat(x.detail()).doesNotContain("justasecretvalue");
        });
    }
}
