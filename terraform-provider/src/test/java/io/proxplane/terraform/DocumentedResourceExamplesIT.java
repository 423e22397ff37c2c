package io.proxplane.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HCL examples of docs/terraform/resources (group, user, directory service account) run as
 * written, together in one configuration with the variable they use and an SSH public key file
 * as ssh-keygen writes it (one line and a newline) at the path the user example reads: plan,
 * apply, and a second plan with no changes.
 */
class DocumentedResourceExamplesIT {

    @RegisterExtension
    static final PveSimulatorExtension SIM = PveSimulatorExtension.with(b -> b.nodes("pve1"));

    static final Path ROOT = Path.of(System.getProperty("proxplane.project.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    static String hclExample(String doc) throws Exception {
        String text = Files.readString(ROOT.resolve("docs/terraform/resources/" + doc));
        Matcher m = Pattern.compile("(?s)```hcl\\n(.*?)```").matcher(text);
        assertThat(m.find()).as(doc + " has an hcl example").isTrue();
        return m.group(1);
    }

    @Test
    void groupUserAndServiceAccountExamplesPlanAndApply() throws Exception {
        PveSimulator pve = SIM.simulator();
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh0ZXN0a2V5Zm9yYWxpY2Vvbmx5MDEyMzQ1Njc4OQ alice@laptop";
        Files.createDirectories(dir.resolve(".ssh"));
        Files.writeString(dir.resolve(".ssh/id_ed25519.pub"), key + "\n"); // HOME is dir (see OpenTofu.start)
        try (TestRegistry registry = TestRegistry.create()) {
            List<String> parts = new ArrayList<>(List.of("""
                    terraform {
                      required_providers {
                        proxplane = {
                          source  = "proxplane/proxplane"
                          version = "%s"
                        }
                      }
                    }
                    provider "proxplane" {}
                    variable "alice_password" {
                      type      = string
                      sensitive = true
                    }
                    variable "ct_104_ldap_password" {
                      type      = string
                      sensitive = true
                    }
                    """.formatted(OpenTofuWorkflowIT.version())));
            for (String doc : List.of("group.md", "user.md", "directory_service_account.md")) parts.add(hclExample(doc));
            Files.writeString(dir.resolve("main.tf"), String.join("\n", parts));
            OpenTofu.writeCliConfig(dir, OpenTofuWorkflowIT.MIRROR);
            Map<String, String> env = OpenTofu.env(
                    "PROXMOX_VE_ENDPOINT", pve.baseUrl(),
                    "PROXMOX_VE_API_TOKEN", PveSimulatorExtension.DEFAULT_TOKEN_ID + "=" + PveSimulatorExtension.DEFAULT_TOKEN_SECRET,
                    "PROXMOX_VE_TLS_FINGERPRINT", pve.certificateFingerprintSha256(),
                    "PROXPLANE_REGISTRY_URL", registry.url(),
                    "TF_VAR_alice_password", "correct horse battery staple",
                    "TF_VAR_ct_104_ldap_password", "a long random service account password");

            OpenTofu.Run init = OpenTofu.run(dir, env, "init", "-input=false", "-no-color");
            assertThat(init.exitCode()).as(init.all()).isZero();
            OpenTofu.Run plan = OpenTofu.run(dir, env, "plan", "-input=false", "-no-color");
            assertThat(plan.exitCode()).as(plan.all()).isZero();
            OpenTofu.Run apply = OpenTofu.run(dir, env, "apply", "-auto-approve", "-input=false", "-no-color");
            assertThat(apply.exitCode()).as(apply.all()).isZero();
            OpenTofu.Run again = OpenTofu.run(dir, env, "plan", "-input=false", "-no-color", "-detailed-exitcode");
            assertThat(again.exitCode()).as(again.all()).isZero();

            try (var c = registry.connect(); var st = c.createStatement();
                 var rs = st.executeQuery("select (select array_to_string(ssh_keys, '|') from users where username = 'alice'),"
                         + " (select count(*) from service_accounts where name = 'ct-104')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("stored without the newline").isEqualTo(key);
                assertThat(rs.getInt(2)).isEqualTo(1);
            }
        }
    }
}
