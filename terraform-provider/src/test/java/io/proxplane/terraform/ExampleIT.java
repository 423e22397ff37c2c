package io.proxplane.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/terraform runs as documented: settings from the environment, one node offline, a fresh
 * registry database; apply, a second plan with no changes, destroy.
 */
class ExampleIT {

    @RegisterExtension
    static final PveSimulatorExtension SIM = PveSimulatorExtension.with(b -> b.nodes("pve1", "pve2", "pve3"));

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tofu", "terraform"})
    void exampleAppliesAgainstTheSimulator(String cliName) throws Exception {
        PveSimulator pve = SIM.simulator();
        pve.admin().setNodeOnline("pve1", false);
        try (TestRegistry registry = TestRegistry.create()) {
            run(OpenTofu.cli(cliName), pve, registry);
        }
    }


    /** The example as written (source = "proxplane/proxplane": each CLI's default registry host). */
    private void run(Path cli, PveSimulator pve, TestRegistry registry) throws Exception {
        Path root = Path.of(System.getProperty("proxplane.project.root", "..")).toAbsolutePath().normalize();
        Files.copy(root.resolve("examples/terraform/main.tf"), dir.resolve("main.tf"));
        OpenTofu.writeCliConfig(dir, OpenTofuWorkflowIT.MIRROR);
        Map<String, String> env = OpenTofu.env(
                "PROXMOX_VE_ENDPOINT", pve.baseUrl(),
                "PROXMOX_VE_API_TOKEN", PveSimulatorExtension.DEFAULT_TOKEN_ID + "=" + PveSimulatorExtension.DEFAULT_TOKEN_SECRET,
                "PROXMOX_VE_TLS_FINGERPRINT", pve.certificateFingerprintSha256(),
                "PROXPLANE_REGISTRY_URL", registry.url(),
                "TF_VAR_proxmox_endpoint", pve.baseUrl(),
                "TF_VAR_edge_address", "edge.lab.example");

        assertThat(OpenTofu.run(cli, dir, env, "init", "-input=false", "-no-color").exitCode()).isZero();
        OpenTofu.Run apply = OpenTofu.run(cli, dir, env, "apply", "-auto-approve", "-input=false", "-no-color");
        assertThat(apply.exitCode()).as(apply.all()).isZero();

        JsonNode out = new ObjectMapper().readTree(OpenTofu.run(cli, dir, env, "output", "-json").stdout());
        assertThat(out.at("/nodes/value").properties()).extracting(Map.Entry::getKey).containsExactly("pve2", "pve3");
        assertThat(out.at("/templates/value/0").asText()).isEqualTo("local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");
        assertThat(out.at("/web1/value/node").asText()).isIn("pve2", "pve3"); // placed on an online node
        assertThat(out.at("/web1/value/fqdn").asText()).isEqualTo("web1.lab.internal");
        assertThat(out.at("/web1/value/https").asText()).isEqualTo("https://web.apps.example.com/");
        // the TCP port listens on the edge, not on the container
        assertThat(out.at("/web1/value/ssh").asText()).matches("ssh -p \\d+ root@edge\\.lab\\.example");
        assertThat(out.at("/web1/value/ssh_url").asText()).matches("tcp://edge\\.lab\\.example:\\d+");
        assertThat(out.at("/web1/value/srv").asText()).isEqualTo("_minecraft._tcp.lab.internal");
        assertThat(out.at("/alice_groups/value/0").asText()).isEqualTo("developers");

        OpenTofu.Run again = OpenTofu.run(cli, dir, env, "plan", "-input=false", "-no-color", "-detailed-exitcode");
        assertThat(again.exitCode()).as(again.all()).isZero();

        OpenTofu.Run destroy = OpenTofu.run(cli, dir, env, "destroy", "-auto-approve", "-input=false", "-no-color");
        assertThat(destroy.exitCode()).as(destroy.all()).isZero();
        assertThat(destroy.stdout()).contains("Destroy complete! Resources: 10 destroyed.");
    }
}
