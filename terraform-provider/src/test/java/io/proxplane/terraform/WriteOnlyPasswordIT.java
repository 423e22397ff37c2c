package io.proxplane.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.core.engine.PasswordHasher;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxplane_user.password_wo} under the Terraform CLI on PATH (1.11+, protocols 6 and 5):
 * set from an ephemeral variable, the password reaches the registry (as a hash) and never the plan
 * or the state; a new value is applied when {@code password_wo_version} changes. OpenTofu 1.6.2
 * does not know write-only attributes and would store the value: it is refused at validate.
 */
class WriteOnlyPasswordIT {

    static final String CONFIG = """
            variable "pw" {
              type      = string
              ephemeral = true
              sensitive = true
            }

            variable "pw_version" {
              type = number
            }

            resource "proxplane_user" "wendy" {
              username            = "wendy"
              password_wo         = var.pw
              password_wo_version = var.pw_version
            }
            """;

    @TempDir
    Path dir;

    @Test
    void terraformAppliesAnEphemeralPasswordWithoutStoringIt() throws Exception {
        Path terraform = OpenTofu.cli("terraform");
        for (int protocol : new int[] {6, 5}) {
            try (PveSimulator pve = PveSimulatorExtension.testDefaults().nodes("pve1").build().start();
                 TestRegistry registry = TestRegistry.create()) {
                Path work = Files.createDirectories(dir.resolve("p" + protocol));
                Map<String, String> env = workspace(work, pve, registry, protocol);
                ok(terraform, work, env, "init", "-input=false", "-no-color");
                ok(terraform, work, env, "apply", "-auto-approve", "-input=false", "-no-color", "-var", "pw=first-Secret-1",
                        "-var", "pw_version=1");
                assertThat(hash(registry)).matches(h -> PasswordHasher.verify("first-Secret-1", h), "verifies the first password");
                assertThat(Files.readString(work.resolve("terraform.tfstate"))).doesNotContain("first-Secret-1");

                // the same version: nothing to do, even with another value
                OpenTofu.Run same = ok(terraform, work, env, "plan", "-detailed-exitcode", "-input=false", "-no-color",
                        "-var", "pw=second-Secret-2", "-var", "pw_version=1");
                assertThat(same.exitCode()).as(same.all()).isZero();
                // a new version applies the new value
                ok(terraform, work, env, "apply", "-auto-approve", "-input=false", "-no-color", "-var", "pw=second-Secret-2",
                        "-var", "pw_version=2");
                assertThat(hash(registry)).matches(h -> PasswordHasher.verify("second-Secret-2", h), "verifies the second password");
                assertThat(Files.readString(work.resolve("terraform.tfstate"))).doesNotContain("second-Secret-2").doesNotContain("first-Secret-1");
            }
        }
    }

    @Test
    void openTofuWithoutWriteOnlySupportIsRefusedAtValidate() throws Exception {
        try (PveSimulator pve = PveSimulatorExtension.testDefaults().nodes("pve1").build().start();
             TestRegistry registry = TestRegistry.create()) {
            // OpenTofu 1.6 has no ephemeral variables either: a plain (sensitive) one
            String config = CONFIG.replace("  ephemeral = true\n", "");
            Map<String, String> env = workspace(dir, pve, registry, 6, config);
            Path tofu = OpenTofu.binary();
            ok(tofu, dir, env, "init", "-input=false", "-no-color");
            OpenTofu.Run plan = OpenTofu.run(tofu, dir, env, "plan", "-input=false", "-no-color", "-var", "pw=first-Secret-1",
                    "-var", "pw_version=1");
            assertThat(plan.exitCode()).as(plan.all()).isEqualTo(1);
            assertThat(plan.all().replaceAll("\\s+", " ")).contains("Write-only attribute not supported", "password_wo",
                    "needs Terraform 1.11 or later");
        }
    }

    private Map<String, String> workspace(Path work, PveSimulator pve, TestRegistry registry, int protocol) throws Exception {
        return workspace(work, pve, registry, protocol, CONFIG);
    }

    private Map<String, String> workspace(Path work, PveSimulator pve, TestRegistry registry, int protocol, String config)
            throws Exception {
        OpenTofu.writeCliConfig(work, OpenTofuWorkflowIT.MIRROR);
        String header = DestroyOrderIT.HEADER.formatted(OpenTofuWorkflowIT.version(), pve.baseUrl(),
                pve.certificateFingerprintSha256(), registry.url());
        Files.writeString(work.resolve("main.tf"), header + "\n" + config);
        return OpenTofu.env("PROXPLANE_TF_PROTOCOLS", String.valueOf(protocol),
                "PROXMOX_VE_API_TOKEN", PveSimulatorExtension.DEFAULT_TOKEN_ID + "=" + PveSimulatorExtension.DEFAULT_TOKEN_SECRET);
    }

    private static String hash(TestRegistry registry) throws Exception {
        try (Connection c = registry.connect();
             PreparedStatement st = c.prepareStatement("select password_hash from users where username = 'wendy'")) {
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static OpenTofu.Run ok(Path cli, Path work, Map<String, String> env, String... args) throws Exception {
        OpenTofu.Run run = OpenTofu.run(cli, work, env, args);
        assertThat(run.exitCode()).as(cli.getFileName() + " " + String.join(" ", args) + "\n" + run.all()).isZero();
        return run;
    }

}
