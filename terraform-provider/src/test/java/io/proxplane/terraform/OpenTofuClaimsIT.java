package io.proxplane.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.TlsTrust;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One object, one resource, with real OpenTofu 1.6.2: two configurations of the same workspace
 * name (so the same manager, {@code terraform:default}) declare the same container. The second
 * fails at apply naming the holder and changes nothing: the first's container keeps its size in
 * Proxmox and its next plan is empty. Importing the container into the second configuration and
 * applying takes it over (adoption); the first is refused from then on.
 */
class OpenTofuClaimsIT {

    static final String HEAD = """
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
              registry_url    = "%s"
            }
            """;

    static final String FIRST = """
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

            output "vmid" {
              value = proxplane_container.web.vmid
            }

            output "node" {
              value = proxplane_container.web.node
            }
            """;

    static final String SECOND = """
            resource "proxplane_container" "same" {
              site      = "lab"
              name      = "web1"
              image     = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
              memory_mb = 512
            }
            """;

    @TempDir
    Path first;

    @TempDir
    Path second;

    @Test
    void aSecondResourceForAnExistingContainerFailsUntilImported() throws Exception {
        try (PveSimulator pve = PveSimulatorExtension.testDefaults().nodes("pve1", "pve2").build().start();
             TestRegistry registry = TestRegistry.create();
             ProxmoxClient admin = ProxmoxClient.builder().endpoint(pve.baseUrl())
                     .apiToken(PveSimulatorExtension.DEFAULT_TOKEN_ID, PveSimulatorExtension.DEFAULT_TOKEN_SECRET)
                     .tls(TlsTrust.pinnedSha256(pve.certificateFingerprintSha256())).build()) {
            String head = HEAD.formatted(OpenTofuWorkflowIT.version(), pve.baseUrl(), pve.certificateFingerprintSha256(),
                    registry.url());
            for (Path dir : new Path[] {first, second}) {
                OpenTofu.writeCliConfig(dir, OpenTofuWorkflowIT.MIRROR);
            }
            Files.writeString(first.resolve("main.tf"), head + FIRST.formatted(pve.baseUrl()));
            Files.writeString(second.resolve("main.tf"), head + SECOND);
            Map<String, String> env = OpenTofu.env(
                    "PROXMOX_VE_API_TOKEN", PveSimulatorExtension.DEFAULT_TOKEN_ID + "=" + PveSimulatorExtension.DEFAULT_TOKEN_SECRET);

            ok(OpenTofu.run(first, env, "init", "-input=false", "-no-color"));
            ok(OpenTofu.run(first, env, "apply", "-auto-approve", "-input=false", "-no-color"));
            int vmid = Integer.parseInt(ok(OpenTofu.run(first, env, "output", "-raw", "vmid")).stdout().trim());
            String node = ok(OpenTofu.run(first, env, "output", "-raw", "node")).stdout().trim();
            String holder = claimedBy(registry);
            assertThat(holder).startsWith("terraform:");
            // the token is private state: not shown as an attribute, kept by Terraform
            assertThat(Files.readString(first.resolve("terraform.tfstate"))).contains("\"private\"");

            // The second configuration "creates" the same container: refused at apply, holder named, nothing changed.
            ok(OpenTofu.run(second, env, "init", "-input=false", "-no-color"));
            OpenTofu.Run clash = OpenTofu.run(second, env, "apply", "-auto-approve", "-input=false", "-no-color");
            assertThat(clash.exitCode()).as(clash.all()).isNotZero();
            assertThat(clash.stderr()).contains("object belongs to another resource")
                    .contains("container 'lab/web1' already exists and belongs to another resource")
                    .contains(holder).contains("import it")
                    // the diagnostic points at the name attribute
                    .contains("name      = \"web1\"");
            assertThat(admin.lxc().config(node, vmid).memory()).hasValue(256);
            assertThat(claimedBy(registry)).isEqualTo(holder);
            assertThat(memoryInRegistry(registry)).isEqualTo(256);
            noChanges(first, env);
            // a failed create with nothing written leaves nothing in the second state
            OpenTofu.Run list = OpenTofu.run(second, env, "state", "list");
            assertThat(list.stdout()).doesNotContain("proxplane_container.same");

            // Import: the second configuration takes the container over at its next apply.
            ok(OpenTofu.run(second, env, "import", "-input=false", "-no-color", "proxplane_container.same", "lab/web1"));
            OpenTofu.Run adopt = ok(OpenTofu.run(second, env, "apply", "-auto-approve", "-input=false", "-no-color"));
            assertThat(adopt.stdout()).contains("1 changed");
            assertThat(admin.lxc().config(node, vmid).memory()).hasValue(512);
            String adopter = claimedBy(registry);
            assertThat(adopter).startsWith("terraform:").isNotEqualTo(holder);
            noChanges(second, env);

            // The first configuration no longer holds it: its change is refused, naming the new holder.
            Files.writeString(first.resolve("main.tf"), head + FIRST.formatted(pve.baseUrl()).replace("memory_mb = 256", "memory_mb = 384"));
            OpenTofu.Run refused = OpenTofu.run(first, env, "apply", "-auto-approve", "-input=false", "-no-color");
            assertThat(refused.exitCode()).as(refused.all()).isNotZero();
            assertThat(refused.stderr()).contains(adopter);
            assertThat(admin.lxc().config(node, vmid).memory()).hasValue(512);

            ok(OpenTofu.run(second, env, "destroy", "-auto-approve", "-input=false", "-no-color"));
            assertThat(admin.cluster().resources()).noneMatch(r -> r.vmid() != null && r.vmid() == vmid);
            // the first configuration's container is gone now (its registry row too): it destroys the rest
            ok(OpenTofu.run(first, env, "destroy", "-auto-approve", "-input=false", "-no-color"));
        }
    }

    private static String claimedBy(TestRegistry registry) throws Exception {
        try (Connection c = registry.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select claimed_by from containers where name = 'web1'")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static long memoryInRegistry(TestRegistry registry) throws Exception {
        try (Connection c = registry.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select (resources->>'memory_mb')::bigint from containers where name = 'web1'")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static void noChanges(Path dir, Map<String, String> env) throws Exception {
        OpenTofu.Run again = OpenTofu.run(dir, env, "plan", "-input=false", "-no-color", "-detailed-exitcode");
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.stdout()).contains("No changes.");
    }

    private static OpenTofu.Run ok(OpenTofu.Run run) {
        assertThat(run.exitCode()).as(run.all()).isZero();
        return run;
    }
}
