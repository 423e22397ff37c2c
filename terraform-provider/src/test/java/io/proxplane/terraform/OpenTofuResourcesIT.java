package io.proxplane.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.TlsTrust;
import io.proxplane.core.proxmox.model.LxcConfigUpdate;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The managed resources and data sources with real OpenTofu 1.6.2, the packaged provider (from the
 * filesystem mirror the build wrote), the PVE simulator and a fresh registry database on the real
 * PostgreSQL, once per plugin protocol, which the provider is told to offer alone: init,
 * validate, plan, apply, a second plan with no changes, drift made behind Terraform's back shown
 * by plan and corrected by apply, bad input refused at plan naming the attribute, import, destroy.
 */
class OpenTofuResourcesIT {

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

            resource "proxplane_external_domain" "apps" {
              name = "apps.example.com"
              site = proxplane_site.lab.name
              tls_source = {
                certificateFile = "/etc/proxplane/tls/apps.crt"
                keyFile         = "/etc/proxplane/tls/apps.key"
              }
            }

            resource "proxplane_group" "devs" {
              name = "devs"
            }

            resource "proxplane_user" "alice" {
              username     = "alice"
              given_name   = "Alice"
              mail         = "alice@example.com"
              password     = "correct horse battery"
              extra_groups = [proxplane_group.devs.name]
            }

            resource "proxplane_pool" "web" {
              name = "web"
              quotas {
                max_containers = 5
                max_memory_mb  = 4096
              }
              acl_grant {
                group = proxplane_group.devs.name
                role  = "PVEVMUser"
              }
            }

            resource "proxplane_container" "web" {
              site      = proxplane_site.lab.name
              name      = "web1"
              image     = "%s"
              memory_mb = %s
              hostname  = "%s"
              pool      = proxplane_pool.web.name
              owner     = proxplane_user.alice.username
              env = {
                MODE = "prod"
              }
            }

            resource "proxplane_container_service" "https" {
              site      = proxplane_site.lab.name
              container = proxplane_container.web.name
              name      = "https"
              lifecycle {
                replace_triggered_by = [proxplane_container.web.vmid]
              }
              http {
                hostname      = "web"
                domain        = proxplane_external_domain.apps.name
                internal_port = 8080
              }
            }

            resource "proxplane_container_service" "ssh" {
              site      = proxplane_site.lab.name
              container = proxplane_container.web.name
              name      = "ssh"
              lifecycle {
                replace_triggered_by = [proxplane_container.web.vmid]
              }
              tcp {
                internal_port = 22
              }
            }

            resource "proxplane_container_service" "mc" {
              site      = proxplane_site.lab.name
              container = proxplane_container.web.name
              name      = "mc"
              lifecycle {
                replace_triggered_by = [proxplane_container.web.vmid]
              }
              dns_srv {
                name = "minecraft"
                port = 25565
              }
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

            output "has_debian_template" {
              value = contains(data.proxplane_templates.first.volids, "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst")
            }

            data "proxplane_container" "web" {
              site = proxplane_site.lab.name
              name = proxplane_container.web.name
            }

            output "container" {
              value = {
                vmid  = proxplane_container.web.vmid
                node  = proxplane_container.web.node
                ipv4  = proxplane_container.web.ipv4
                mac   = proxplane_container.web.mac
                fqdn  = proxplane_container.web.fqdn
                state = data.proxplane_container.web.state
                image = data.proxplane_container.web.image
              }
            }

            output "services" {
              value = {
                https = proxplane_container_service.https.url
                ssh   = proxplane_container_service.ssh.external_port
                srv   = proxplane_container_service.mc.srv_name
              }
            }
            """;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {6, 5})
    void fullWorkflow(int protocol) throws Exception {
        // A simulator per run: a failed run must not leave guests behind for the other protocol's.
        try (PveSimulator pve = PveSimulatorExtension.testDefaults().nodes("pve1", "pve2").build().start();
             TestRegistry registry = TestRegistry.create();
             ProxmoxClient admin = ProxmoxClient.builder().endpoint(pve.baseUrl())
                     .apiToken(PveSimulatorExtension.DEFAULT_TOKEN_ID, PveSimulatorExtension.DEFAULT_TOKEN_SECRET)
                     .tls(TlsTrust.pinnedSha256(pve.certificateFingerprintSha256())).build()) {
            OpenTofu.writeCliConfig(dir, OpenTofuWorkflowIT.MIRROR);
            write(pve, registry, "256", "web1");
            Map<String, String> env = OpenTofu.env(
                    "PROXPLANE_TF_PROTOCOLS", String.valueOf(protocol),
                    "PROXMOX_VE_API_TOKEN", PveSimulatorExtension.DEFAULT_TOKEN_ID + "=" + PveSimulatorExtension.DEFAULT_TOKEN_SECRET);

            OpenTofu.Run init = ok(OpenTofu.run(dir, env, "init", "-input=false", "-no-color"));
            assertThat(init.stdout()).contains("Installing proxplane/proxplane v" + OpenTofuWorkflowIT.version());
            assertThat(dir.resolve(".terraform.lock.hcl")).content().contains("registry.opentofu.org/proxplane/proxplane");
            assertThat(ok(OpenTofu.run(dir, env, "validate", "-no-color")).stdout()).contains("The configuration is valid");

            Path log = dir.resolve("tofu.log");
            Map<String, String> debug = new java.util.HashMap<>(env);
            debug.put("TF_LOG", "DEBUG");
            debug.put("TF_LOG_PATH", log.toString());
            OpenTofu.Run plan = ok(OpenTofu.run(dir, debug, "plan", "-input=false", "-no-color"));
            // The CLI really spoke the protocol we asked for, and with TLS (AutoMTLS) on.
            assertThat(Files.readString(log)).contains("using plugin: version=" + protocol)
                    .doesNotContain("Unrecognized remote plugin message");
            assertThat(plan.stdout()).contains("Plan: 9 to add, 0 to change, 0 to destroy")
                    // known at plan time: derived from configuration and the defaults of the engine
                    .containsPattern("id +\\= \"lab/web1\"").containsPattern("cores +\\= 1")
                    .containsPattern("url +\\= \"https://web.apps.example.com/\"").containsPattern("srv_name +\\= \"_minecraft._tcp\"")
                    .containsPattern("vmid +\\= \\(known after apply\\)");

            ok(OpenTofu.run(dir, env, "apply", "-auto-approve", "-input=false", "-no-color"));
            JsonNode out = outputs(env);
            assertThat(out.at("/node_names/value").toString()).isEqualTo("[\"pve1\",\"pve2\"]");
            assertThat(out.at("/online/value").toString()).isEqualTo("[true,true]");
            assertThat(out.at("/has_debian_template/value").asBoolean()).isTrue();
            int vmid = out.at("/container/value/vmid").asInt();
            String node = out.at("/container/value/node").asText();
            assertThat(out.at("/container/value/ipv4").asText()).startsWith("10.20.0.");
            assertThat(out.at("/container/value/fqdn").asText()).isEqualTo("web1.lab.internal");
            assertThat(out.at("/container/value/state").asText()).isEqualTo("running");
            assertThat(out.at("/services/value/https").asText()).isEqualTo("https://web.apps.example.com/");
            assertThat(out.at("/services/value/ssh").asInt()).isBetween(2000, 65535);
            assertThat(out.at("/services/value/srv").asText()).isEqualTo("_minecraft._tcp");
            assertThat(admin.lxc().config(node, vmid).memory()).hasValue(256);
            try (Connection c = registry.connect(); ResultSet rs = c.createStatement().executeQuery(
                    "select managed_by, password_hash from users where username = 'alice'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("terraform:default");
                assertThat(rs.getString(2)).startsWith("$argon2id$").doesNotContain("correct horse");
            }
            assertThat(Files.readString(dir.resolve("terraform.tfstate"))).doesNotContain("test-secret");

            // The second plan after apply is empty.
            noChanges(env);

            // Drift behind Terraform's back: more cores and the container stopped.
            admin.lxc().updateConfig(node, vmid, LxcConfigUpdate.builder().cores(3).build());
            admin.tasks().await(admin.lxc().stop(node, vmid), Duration.ofSeconds(30));
            OpenTofu.Run drift = OpenTofu.run(dir, env, "plan", "-input=false", "-no-color", "-detailed-exitcode");
            assertThat(drift.exitCode()).as(drift.all()).isEqualTo(2);
            assertThat(drift.stdout()).containsPattern("~ cores +\\= 3 -> 1").containsPattern("~ power_state +\\= \"stopped\" -> \"running\"")
                    .contains("Plan: 0 to add, 1 to change, 0 to destroy");
            ok(OpenTofu.run(dir, env, "apply", "-auto-approve", "-input=false", "-no-color"));
            assertThat(admin.lxc().config(node, vmid).cores()).hasValue(1);
            assertThat(admin.lxc().status(node, vmid).status()).isEqualTo("running");
            noChanges(env);

            // Bad input fails at plan, naming the attribute (OpenTofu quotes the line).
            write(pve, registry, "1", "web1");
            OpenTofu.Run bad = OpenTofu.run(dir, env, "plan", "-input=false", "-no-color");
            assertThat(bad.exitCode()).as(bad.all()).isNotZero();
            assertThat(bad.stderr()).contains("Invalid memory_mb").contains("must be between 16 and").contains("memory_mb = 1");
            write(pve, registry, "256", "web_1!");
            bad = OpenTofu.run(dir, env, "plan", "-input=false", "-no-color");
            assertThat(bad.exitCode()).as(bad.all()).isNotZero();
            assertThat(bad.stderr()).contains("Invalid hostname").contains("hostname  = \"web_1!\"");
            write(pve, registry, "256", "web1");

            // Import: forget the container and the https service, import them by id, nothing to change.
            ok(OpenTofu.run(dir, env, "state", "rm", "proxplane_container.web", "proxplane_container_service.https"));
            ok(OpenTofu.run(dir, env, "import", "-input=false", "-no-color", "proxplane_container.web", "lab/web1"));
            ok(OpenTofu.run(dir, env, "import", "-input=false", "-no-color", "proxplane_container_service.https", "lab/web1/https"));
            noChanges(env);
            // ... and the rest through import blocks: the plan imports them and changes nothing.
            ok(OpenTofu.run(dir, env, "state", "rm", "proxplane_site.lab", "proxplane_external_domain.apps", "proxplane_pool.web",
                    "proxplane_group.devs"));
            Files.writeString(dir.resolve("imports.tf"), """
                    import {
                      to = proxplane_site.lab
                      id = "lab"
                    }
                    import {
                      to = proxplane_external_domain.apps
                      id = "apps.example.com"
                    }
                    import {
                      to = proxplane_pool.web
                      id = "web"
                    }
                    import {
                      to = proxplane_group.devs
                      id = "devs"
                    }
                    """);
            OpenTofu.Run imports = ok(OpenTofu.run(dir, env, "apply", "-auto-approve", "-input=false", "-no-color"));
            assertThat(imports.stdout()).contains("Apply complete! Resources: 4 imported, 0 added, 0 changed, 0 destroyed.");
            Files.delete(dir.resolve("imports.tf"));
            noChanges(env);

            // A new image: Proxmox cannot change it in place, so the container is replaced (and, by
            // replace_triggered_by, its services with it, whose registry rows go with the container).
            write(pve, registry, "docker.io/library/nginx:1.27", "256", "web1");
            OpenTofu.Run replace = ok(OpenTofu.run(dir, env, "plan", "-input=false", "-no-color"));
            assertThat(replace.stdout()).contains("proxplane_container.web must be replaced")
                    .containsPattern("~ image +\\= \"local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst\" -> \"docker.io/library/nginx:1.27\" # forces replacement")
                    .contains("Plan: 4 to add, 0 to change, 4 to destroy");
            ok(OpenTofu.run(dir, env, "apply", "-auto-approve", "-input=false", "-no-color"));
            JsonNode replaced = outputs(env);
            assertThat(replaced.at("/container/value/image").asText()).isEqualTo("docker.io/library/nginx:1.27");
            assertThat(replaced.at("/services/value/https").asText()).isEqualTo("https://web.apps.example.com/");
            noChanges(env);

            ok(OpenTofu.run(dir, env, "destroy", "-auto-approve", "-input=false", "-no-color"));
            int vmid2 = replaced.at("/container/value/vmid").asInt();
            assertThat(admin.cluster().resources().stream().filter(r -> r.vmid() != null && (r.vmid() == vmid || r.vmid() == vmid2)))
                    .isEmpty();
            try (Connection c = registry.connect(); ResultSet rs = c.createStatement().executeQuery(
                    "select (select count(*) from containers) + (select count(*) from sites) + (select count(*) from users)"
                            + " + (select count(*) from pools) + (select count(*) from services)")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    static final String TEMPLATE = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";

    private void write(PveSimulator pve, TestRegistry registry, String memory, String hostname) throws Exception {
        write(pve, registry, TEMPLATE, memory, hostname);
    }

    private void write(PveSimulator pve, TestRegistry registry, String image, String memory, String hostname) throws Exception {
        Files.writeString(dir.resolve("main.tf"), MAIN_TF.formatted(OpenTofuWorkflowIT.version(), pve.baseUrl(),
                pve.certificateFingerprintSha256(), registry.url(), pve.baseUrl(), image, memory, hostname));
    }

    private void noChanges(Map<String, String> env) throws Exception {
        OpenTofu.Run again = OpenTofu.run(dir, env, "plan", "-input=false", "-no-color", "-detailed-exitcode");
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.stdout()).contains("No changes.");
    }

    private JsonNode outputs(Map<String, String> env) throws Exception {
        return new ObjectMapper().readTree(ok(OpenTofu.run(dir, env, "output", "-json")).stdout());
    }

    private static OpenTofu.Run ok(OpenTofu.Run run) {
        assertThat(run.exitCode()).as(run.all()).isZero();
        return run;
    }
}
