package io.proxplane.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.TlsTrust;
import io.proxplane.core.proxmox.model.Upid;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ctrl-C during an apply, with the real CLI: the create task hangs in the simulator, the CLI gets
 * SIGINT, calls StopProvider, and exits with the resource's "interrupted" error within seconds —
 * while the engine's task timeout is 10 minutes (the provider's default), so exiting at all proves
 * the cancel. No provider JVM is left behind; the intent stays recorded; the next apply adopts the
 * guest. OpenTofu 1.6.2 always; Terraform when {@code terraform} is on PATH.
 */
class InterruptIT {

    /** Far above what the machine needs, far below the 10-minute task timeout. */
    static final long HANG_GUARD_SECONDS = 180;

    static final String MAIN_TF = """
            terraform {
              required_providers {
                proxplane = {
                  source  = "registry.opentofu.org/proxplane/proxplane"
                  version = "%s"
                }
              }
            }

            provider "proxplane" {
              endpoint        = "%s"
              tls_fingerprint = "%s"
              registry_url    = "%s"
            }

            resource "proxplane_site" "lab" {
              name         = "lab"
              dns_domain   = "lab.internal"
              network_cidr = "10.20.0.0/24"
              gateway      = "10.20.0.1"
              dhcp_start   = "10.20.0.200"
              dhcp_end     = "10.20.0.250"
              proxmox_endpoint {
                url = "%s"
              }
            }

            resource "proxplane_container" "web" {
              site      = proxplane_site.lab.name
              name      = "web1"
              image     = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
              memory_mb = 256
            }
            """;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tofu", "terraform"})
    void ctrlCDuringAHungCreateEndsTheApplyAndTheNextApplyAdopts(String cliName) throws Exception {
        Path cli = cli(cliName);
        try (PveSimulator pve = PveSimulatorExtension.testDefaults().nodes("pve1", "pve2").build().start();
             TestRegistry registry = TestRegistry.create();
             ProxmoxClient admin = ProxmoxClient.builder().endpoint(pve.baseUrl())
                     .apiToken(PveSimulatorExtension.DEFAULT_TOKEN_ID, PveSimulatorExtension.DEFAULT_TOKEN_SECRET)
                     .tls(TlsTrust.pinnedSha256(pve.certificateFingerprintSha256())).build()) {
            OpenTofu.writeCliConfig(dir, OpenTofuWorkflowIT.MIRROR);
            Files.writeString(dir.resolve("main.tf"), MAIN_TF.formatted(OpenTofuWorkflowIT.version(), pve.baseUrl(),
                    pve.certificateFingerprintSha256(), registry.url(), pve.baseUrl()));
            Map<String, String> env = OpenTofu.env(
                    "PROXMOX_VE_API_TOKEN", PveSimulatorExtension.DEFAULT_TOKEN_ID + "=" + PveSimulatorExtension.DEFAULT_TOKEN_SECRET);
            OpenTofu.Run init = OpenTofu.run(cli, dir, env, "init", "-input=false", "-no-color");
            assertThat(init.exitCode()).as(init.all()).isZero();

            pve.faults().hangTask("vzcreate", null);
            Path out = dir.resolve("apply.out");
            Path err = dir.resolve("apply.err");
            Process apply = OpenTofu.start(cli, dir, env, out, err, "apply", "-auto-approve", "-input=false", "-no-color");
            List<ProcessHandle> descendants = List.of();
            try {
                String upid = awaitCreateTask(registry, apply, out, err);
                descendants = apply.descendants().toList();
                assertThat(descendants).as("the provider runs as a child of the CLI").isNotEmpty();

                new ProcessBuilder("kill", "-INT", Long.toString(apply.pid())).inheritIO().start().waitFor();

                assertThat(apply.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS))
                        .as("the CLI exits after Ctrl-C (task timeout is 10 minutes)").isTrue();
                String all = Files.readString(out) + "\n" + Files.readString(err);
                assertThat(apply.exitValue()).as(all).isNotZero();
                assertThat(all.replaceAll("\\s+", " ")).contains("interrupted by Terraform (StopProvider)")
                        .contains("the next apply resumes or rolls back");
                // Ended by the cancel, not by the task: it is still hung in Proxmox.
                assertThat(admin.tasks().status(Upid.parse(upid)).isRunning()).isTrue();
                for (ProcessHandle h : descendants) {
                    assertThat(h.onExit().get(HANG_GUARD_SECONDS, TimeUnit.SECONDS).isAlive())
                            .as("provider process " + h.pid() + " " + h.info().command().orElse("")).isFalse();
                }
                assertThat(intent(registry)).containsExactly("create", upid);
            } finally {
                apply.descendants().forEach(ProcessHandle::destroyForcibly);
                descendants.forEach(ProcessHandle::destroyForcibly);
                apply.destroyForcibly();
            }

            // The hung task finishes; the next apply takes the guest over instead of creating another.
            pve.faults().clear();
            OpenTofu.Run again = OpenTofu.run(cli, dir, env, "apply", "-auto-approve", "-input=false", "-no-color");
            assertThat(again.exitCode()).as(again.all()).isZero();
            assertThat(intent(registry)).containsExactly(null, null);
            assertThat(admin.cluster().resources().stream().filter(r -> "lxc".equals(r.type()))).hasSize(1);
        }
    }

    private static Path cli(String name) throws Exception {
        if (name.equals("tofu")) {
            return OpenTofu.binary();
        }
        Process which = new ProcessBuilder("which", name).start();
        String path = new String(which.getInputStream().readAllBytes()).strip();
        Assumptions.assumeTrue(which.waitFor() == 0 && !path.isEmpty(), name + " is not on PATH");
        return Path.of(path);
    }

    /** Waits until the engine recorded the create task's UPID (the apply then waits on the hung task). */
    private static String awaitCreateTask(TestRegistry registry, Process apply, Path out, Path err) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
        while (true) {
            List<String> row = intent(registry);
            if (row.size() == 2 && row.get(1) != null) {
                return row.get(1);
            }
            if (!apply.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the apply never reached the create task:\n" + Files.readString(out) + "\n" + Files.readString(err));
            }
            Thread.sleep(100);
        }
    }

    /** [intent, task_upid] of container web1; empty while there is no such row (or no schema yet). */
    private static List<String> intent(TestRegistry registry) {
        try (Connection c = registry.connect();
             PreparedStatement st = c.prepareStatement("select intent, task_upid from containers where name = 'web1'");
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? java.util.Arrays.asList(rs.getString(1), rs.getString(2)) : List.of();
        } catch (SQLException e) {
            return List.of();
        }
    }
}
