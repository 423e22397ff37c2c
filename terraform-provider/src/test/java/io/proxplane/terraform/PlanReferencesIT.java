package io.proxplane.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A reference to an object that does not exist (an owner, a pool, a service's container or
 * domain, a group member, a user's extra group), and a port two services ask for, are refused by
 * {@code plan}, before anything is applied, with the diagnostic on the attribute (the CLI quotes
 * the configuration line), while references to objects the same configuration creates are accepted. Under OpenTofu 1.6.2
 * (protocol 6) and the Terraform CLI on PATH (protocol 5).
 */
class PlanReferencesIT {

    static final String RESOURCES = """
            resource "proxplane_site" "lab" {
              name         = "lab"
              dns_domain   = "lab.internal"
              network_cidr = "10.20.0.0/24"
              gateway      = "10.20.0.1"
              proxmox_endpoint {
                url = "%s"
              }
            }

            resource "proxplane_user" "alice" {
              username = "alice"
            }

            resource "proxplane_pool" "web" {
              name = "web"
            }

            resource "proxplane_container" "good" {
              site  = proxplane_site.lab.name
              name  = "good"
              image = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
              owner = proxplane_user.alice.username
              pool  = proxplane_pool.web.name
            }

            resource "proxplane_container" "typo" {
              site  = proxplane_site.lab.name
              name  = "typo"
              image = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
              owner = "alcie"
            }

            resource "proxplane_container_service" "web" {
              site      = proxplane_site.lab.name
              container = "nosuchcontainer"
              name      = "https"
              http {
                hostname      = "web"
                domain        = "apps.nowhere.example"
                internal_port = 80
              }
            }

            resource "proxplane_container_service" "ssh_a" {
              site      = proxplane_site.lab.name
              container = proxplane_container.good.name
              name      = "ssh-a"
              tcp {
                internal_port = 22
                external_port = 2222
              }
            }

            resource "proxplane_container_service" "ssh_b" {
              site      = proxplane_site.lab.name
              container = proxplane_container.good.name
              name      = "ssh-b"
              tcp {
                internal_port = 22
                external_port = 2222
              }
            }

            resource "proxplane_group" "devs" {
              name    = "devs"
              members = [proxplane_user.alice.username, "bob"]
            }
            """;

    @TempDir
    Path dir;

    static Stream<Arguments> clis() {
        return Stream.of(Arguments.of("tofu", 6), Arguments.of("terraform", 5));
    }

    @ParameterizedTest(name = "{0}, protocol {1}")
    @MethodSource("clis")
    void unknownReferencesAreRefusedAtPlanOnTheirAttribute(String cliName, int protocol) throws Exception {
        Path cli = OpenTofu.cli(cliName);
        try (PveSimulator pve = PveSimulatorExtension.testDefaults().nodes("pve1").build().start();
             TestRegistry registry = TestRegistry.create()) {
            Map<String, String> env = OpenTofu.env(
                    "PROXPLANE_TF_PROTOCOLS", String.valueOf(protocol),
                    "PROXMOX_VE_API_TOKEN", PveSimulatorExtension.DEFAULT_TOKEN_ID + "=" + PveSimulatorExtension.DEFAULT_TOKEN_SECRET);
            OpenTofu.writeCliConfig(dir, OpenTofuWorkflowIT.MIRROR);
            String header = DestroyOrderIT.HEADER.formatted(OpenTofuWorkflowIT.version(), pve.baseUrl(),
                    pve.certificateFingerprintSha256(), registry.url());
            Files.writeString(dir.resolve("main.tf"), header + "\n" + RESOURCES.formatted(pve.baseUrl()));
            OpenTofu.Run init = OpenTofu.run(cli, dir, env, "init", "-input=false", "-no-color");
            assertThat(init.exitCode()).as(init.all()).isZero();

            OpenTofu.Run plan = OpenTofu.run(cli, dir, env, "plan", "-input=false", "-no-color");
            String out = plan.all();
            assertThat(plan.exitCode()).as(out).isEqualTo(1);
            // each diagnostic quotes the attribute's line of the configuration
            assertThat(out).as(out)
                    .contains("Unknown user in owner", "user 'alcie' does not exist", "owner = \"alcie\"")
                    .contains("Unknown container in container", "container = \"nosuchcontainer\"")
                    .contains("Unknown external domain in http.domain", "domain        = \"apps.nowhere.example\"")
                    .contains("Unknown user in members[1]", "user 'bob' does not exist")
                    // two services of this plan asking for one port: one of them is refused on the port
                    .contains("Value already taken: tcp.external_port", "external_port = 2222")
                    // created by the same configuration: accepted
                    .doesNotContain("user 'alice' does not exist", "pool 'web' does not exist", "site 'lab' does not exist");
            // nothing was applied
            assertThat(dir.resolve("terraform.tfstate")).doesNotExist();
        }
    }

}
