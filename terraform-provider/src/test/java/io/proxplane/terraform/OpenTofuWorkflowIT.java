package io.proxplane.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real OpenTofu 1.6.2 drives the packaged provider (from the filesystem mirror the build wrote)
 * against the PVE simulator, once per plugin protocol, which the provider is told to offer alone.
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
    void initValidatePlanApplyReadDataSources(int protocol) throws Exception {
        PveSimulator pve = SIM.simulator();
        OpenTofu.writeCliConfig(dir, MIRROR);
        Files.writeString(dir.resolve("main.tf"), MAIN_TF.formatted(version(), pve.baseUrl(), pve.certificateFingerprintSha256()));
        Path log = dir.resolve("tofu.log");
        Map<String, String> env = OpenTofu.env(
                "PROXPLANE_TF_PROTOCOLS", String.valueOf(protocol),
                "PROXMOX_VE_API_TOKEN", PveSimulatorExtension.DEFAULT_TOKEN_ID + "=" + PveSimulatorExtension.DEFAULT_TOKEN_SECRET,
                "TF_LOG", "DEBUG",
                "TF_LOG_PATH", log.toString());

        OpenTofu.Run init = OpenTofu.run(dir, env, "init", "-input=false", "-no-color");
        assertThat(init.exitCode()).as(init.all()).isZero();
        assertThat(init.stdout()).contains("Installing proxplane/proxplane v" + version());
        assertThat(dir.resolve(".terraform.lock.hcl")).content().contains("registry.opentofu.org/proxplane/proxplane");

        OpenTofu.Run validate = OpenTofu.run(dir, env, "validate", "-no-color");
        assertThat(validate.exitCode()).as(validate.all()).isZero();
        assertThat(validate.stdout()).contains("The configuration is valid");

        OpenTofu.Run plan = OpenTofu.run(dir, env, "plan", "-input=false", "-no-color");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        assertThat(plan.stdout()).contains("node_names").contains("\"pve1\"").contains("\"pve2\"");

        OpenTofu.Run apply = OpenTofu.run(dir, env, "apply", "-auto-approve", "-input=false", "-no-color");
        assertThat(apply.exitCode()).as(apply.all()).isZero();

        OpenTofu.Run output = OpenTofu.run(dir, env, "output", "-json");
        assertThat(output.exitCode()).as(output.all()).isZero();
        JsonNode outputs = new ObjectMapper().readTree(output.stdout());
        assertThat(texts(outputs.at("/node_names/value"))).containsExactly("pve1", "pve2");
        assertThat(outputs.at("/online/value").toString()).isEqualTo("[true,true]");
        assertThat(texts(outputs.at("/templates/value"))).contains("local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");

        // The CLI really spoke the protocol we asked for, and with TLS (AutoMTLS) on.
        String debug = Files.readString(log);
        assertThat(debug).contains("using plugin: version=" + protocol);
        assertThat(debug).doesNotContain("Unrecognized remote plugin message");
    }

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

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
