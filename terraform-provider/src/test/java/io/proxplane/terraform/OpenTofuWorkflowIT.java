package io.proxplane.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real OpenTofu 1.6.2 with the packaged provider: a bad provider configuration fails at plan,
 * naming the attribute, under each protocol. The full workflow (data sources, every resource,
 * drift, import, destroy) is {@link OpenTofuResourcesIT}.
 */
class OpenTofuWorkflowIT {

    @RegisterExtension
    static final PveSimulatorExtension SIM = PveSimulatorExtension.with(b -> b.nodes("pve1", "pve2"));

    static final Path MIRROR = Path.of(System.getProperty("proxplane.provider.mirror", "target/mirror"));
    static final String MAIN_TF = """
            terraform {
              required_providers {
                proxplane = {
                  source  = "proxplane/proxplane"
                  version = "%s"
                }
              }
            }

            provider "proxplane" {
              endpoint        = "%s"
              tls_fingerprint = "%s"
            }

            data "proxplane_nodes" "all" {}

            data "proxplane_templates" "first" {
              node = data.proxplane_nodes.all.names[0]
            }

            output "node_names" {
              value = data.proxplane_nodes.all.names
            }

            output "online" {
              value = [for n in data.proxplane_nodes.all.nodes : n.online]
            }

            output "templates" {
              value = data.proxplane_templates.first.volids
            }
            """;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {6, 5})
    void badProviderConfigurationFailsAtPlanNamingTheAttribute(int protocol) throws Exception {
        PveSimulator pve = SIM.simulator();
        OpenTofu.writeCliConfig(dir, MIRROR);
        String tf = MAIN_TF.formatted(version(), "ftp://" + pve.baseUrl().substring("https://".length()), pve.certificateFingerprintSha256());
        Files.writeString(dir.resolve("main.tf"), tf);
        Map<String, String> env = OpenTofu.env(
                "PROXPLANE_TF_PROTOCOLS", String.valueOf(protocol),
                "PROXMOX_VE_API_TOKEN", "not-a-token");

        assertThat(OpenTofu.run(dir, env, "init", "-input=false", "-no-color").exitCode()).isZero();
        OpenTofu.Run plan = OpenTofu.run(dir, env, "plan", "-input=false", "-no-color");

        assertThat(plan.exitCode()).as(plan.all()).isNotZero();
        // OpenTofu quotes the configuration line the diagnostic's attribute path points at.
        assertThat(plan.stderr()).contains("Invalid Proxmox endpoint").contains("endpoint        = \"ftp://");
        assertThat(plan.stderr()).contains("Invalid API token (from PROXMOX_VE_API_TOKEN)");
        assertThat(plan.stderr()).doesNotContain("not-a-token");
    }

    static String version() {
        return System.getProperty("proxplane.provider.version", "0.1.0");
    }

}
