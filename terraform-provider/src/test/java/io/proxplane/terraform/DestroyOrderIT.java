package io.proxplane.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.core.engine.SimulatorAssertions;
import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.TlsTrust;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever order Terraform destroys things in, the Proxmox cluster ends up holding nothing
 * proxplane made, the registry holds no row of the workspace and the state is empty.
 *
 * <p>One configuration with every kind of object and every link between them (a site, an external
 * domain, a pool with quotas and grants to a user and a group, the user, the group with the user as
 * a member, two containers — one in the pool and owned by the user — and an HTTP and a TCP service)
 * is applied and torn down, re-applied between teardowns, in these orders:
 * <ol>
 *   <li>plain {@code destroy} (parallelism 10: everything Terraform's graph lets run at once does);</li>
 *   <li>{@code destroy -target} the site first (Terraform takes the resources that refer to it with
 *       it: the external domain, both containers and both services), then the rest (pool, user,
 *       group) — the pool's delete can no longer reach Proxmox through the site;</li>
 *   <li>{@code -target} the pool (and with it the container in it and that container's service),
 *       then the user (and the group, whose {@code members} refers to it, and the container it
 *       owns if still there), then the group (already gone: a no-op that must stay one), then
 *       everything;</li>
 *   <li>{@code destroy -parallelism=1}: strictly one delete at a time;</li>
 *   <li>no destroy at all: the configuration loses the containers and services, is applied, then
 *       loses everything else and is applied again.</li>
 * </ol>
 * After each full teardown: {@link SimulatorAssertions#leftovers} finds nothing (no guest, Proxmox
 * pool, user, group or ACL entry made by proxplane), the registry tables are empty and
 * {@code state list} prints nothing. Before each teardown the same checks see the objects, so
 * they can fail.
 *
 * <p>References order Terraform's deletes (a container before its owner, a pool before the group it
 * grants to). Names written as literals do not, and the engine lets a user or group go while a
 * container owner, a pool grant or a membership still names it — so
 * {@link #withLiteralNamesUsersAndGroupsMayGoFirst} names the user and the group by literal
 * everywhere and tears down in orders where they go first or at the same time:
 * <ol start="6">
 *   <li>plain {@code destroy}: user and group deletes run beside the container and pool deletes;</li>
 *   <li>{@code -target} the user, then the group (each alone: nothing refers to them), then the rest;</li>
 *   <li>{@code destroy -parallelism=1}.</li>
 * </ol>
 * (Sites, pools and domains stay referenced: the engine refuses to delete them while containers or
 * services use them, so a configuration must order those.)
 *
 * <p>OpenTofu 1.6.2 under plugin protocols 6 and 5; the Terraform CLI ({@code terraform} on PATH,
 * e.g. 1.11) under protocol 6. A simulator and a registry database per run.
 */
class DestroyOrderIT {

    static final String HEADER = """
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
            """;

    /** Site, domain, pool, user and group: what stays when step (5) first removes the workloads. */
    static final String BASE = """
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
            }

            resource "proxplane_user" "alice" {
              username = "alice"
              mail     = "alice@example.com"
            }

            resource "proxplane_group" "devs" {
              name    = "devs"
              members = [proxplane_user.alice.username]
            }

            resource "proxplane_pool" "web" {
              name = "web"
              quotas {
                max_containers = 5
                max_memory_mb  = 4096
              }
              acl_grant {
                user = proxplane_user.alice.username
                role = "PVEVMUser"
              }
              acl_grant {
                group = proxplane_group.devs.name
                role  = "PVEAuditor"
              }
            }
            """;

    static final String WORKLOADS = """
            resource "proxplane_container" "web" {
              site      = proxplane_site.lab.name
              name      = "web1"
              image     = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
              memory_mb = 256
              pool      = proxplane_pool.web.name
              owner     = proxplane_user.alice.username
            }

            resource "proxplane_container" "db" {
              site      = proxplane_site.lab.name
              name      = "db1"
              image     = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
              memory_mb = 256
            }

            resource "proxplane_container_service" "https" {
              site      = proxplane_site.lab.name
              container = proxplane_container.web.name
              name      = "https"
              http {
                hostname      = "web"
                domain        = proxplane_external_domain.apps.name
                internal_port = 8080
              }
            }

            resource "proxplane_container_service" "pg" {
              site      = proxplane_site.lab.name
              container = proxplane_container.db.name
              name      = "pg"
              tcp {
                internal_port = 5432
              }
            }
            """;

    static final List<String> ALL = List.of("proxplane_site.lab", "proxplane_external_domain.apps", "proxplane_user.alice",
            "proxplane_group.devs", "proxplane_pool.web", "proxplane_container.web", "proxplane_container.db",
            "proxplane_container_service.https", "proxplane_container_service.pg");

    /** Registry tables that must be empty after a teardown (the engine's own records included). */
    static final List<String> TABLES = List.of("sites", "external_domains", "pools", "containers", "services", "users", "groups",
            "memberships", "engine_container_specs", "engine_pool_mirrors", "engine_pool_intents", "engine_proxmox_principals");

    @TempDir
    Path dir;

    private Path cli;
    private Map<String, String> env;
    private PveSimulator pve;
    private TestRegistry registry;
    private ProxmoxClient admin;

    static Stream<Arguments> clisAndProtocols() {
        // The protocol does not change delete ordering; one CLI per order family keeps CI time down
        // (each order family costs about 90 s): OpenTofu runs the referenced teardown orders (with
        // -target), Terraform the free-order ones (also with -target) in the other test.
        return Stream.of(Arguments.of("tofu", 6));
    }

    static Stream<Arguments> clis() {
        return Stream.of(Arguments.of("terraform", 6));
    }

    /** A simulator, a registry database and an initialised working directory for one run. */
    private interface Body {
        void run() throws Exception;
    }

    private void withWorkspace(String cliName, int protocol, Body body) throws Exception {
        cli = cli(cliName);
        try (PveSimulator sim = PveSimulatorExtension.testDefaults().nodes("pve1", "pve2").build().start();
             TestRegistry db = TestRegistry.create();
             ProxmoxClient client = ProxmoxClient.builder().endpoint(sim.baseUrl())
                     .apiToken(PveSimulatorExtension.DEFAULT_TOKEN_ID, PveSimulatorExtension.DEFAULT_TOKEN_SECRET)
                     .tls(TlsTrust.pinnedSha256(sim.certificateFingerprintSha256())).build()) {
            pve = sim;
            registry = db;
            admin = client;
            env = OpenTofu.env(
                    "PROXPLANE_TF_PROTOCOLS", String.valueOf(protocol),
                    "PROXMOX_VE_API_TOKEN", PveSimulatorExtension.DEFAULT_TOKEN_ID + "=" + PveSimulatorExtension.DEFAULT_TOKEN_SECRET);
            OpenTofu.writeCliConfig(dir, OpenTofuWorkflowIT.MIRROR);
            writeConfig(BASE + WORKLOADS);
            ok("init", "-input=false", "-no-color");
            body.run();
        }
    }

    @ParameterizedTest(name = "{0}, protocol {1}")
    @MethodSource("clis")
    void withLiteralNamesUsersAndGroupsMayGoFirst(String cliName, int protocol) throws Exception {
        withWorkspace(cliName, protocol, () -> {
            // (6) Plain destroy: the user and group deletes run beside the container and pool deletes.
            applyLoose();
            ok("destroy", "-auto-approve", "-input=false", "-no-color");
            assertNothingLeft("plain destroy, user and group named by literals");

            // (7) The user alone, then the group alone, then the rest.
            applyLoose();
            ok("destroy", "-auto-approve", "-input=false", "-no-color", "-target=proxplane_user.alice");
            assertThat(stateList()).as("after destroy -target user").doesNotContain("proxplane_user.alice").hasSize(ALL.size() - 1);
            ok("destroy", "-auto-approve", "-input=false", "-no-color", "-target=proxplane_group.devs");
            assertThat(stateList()).as("after destroy -target group").doesNotContain("proxplane_group.devs").hasSize(ALL.size() - 2);
            ok("destroy", "-auto-approve", "-input=false", "-no-color");
            assertNothingLeft("destroy -target user, group, then the rest, named by literals");

            // (8) One delete at a time.
            applyLoose();
            ok("destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=1");
            assertNothingLeft("destroy -parallelism=1, user and group named by literals");
        });
    }

    /**
     * The full configuration with the user and the group named by literals (no graph edge to them),
     * applied in two steps: the user first, since a container owner and a group member must be an
     * existing user.
     */
    private void applyLoose() throws Exception {
        String loose = (BASE + WORKLOADS).replace("proxplane_user.alice.username", "\"alice\"")
                .replace("proxplane_group.devs.name", "\"devs\"");
        assertThat(loose).doesNotContain("proxplane_user.alice.").doesNotContain("proxplane_group.devs.");
        writeConfig(BASE.substring(0, BASE.indexOf("resource \"proxplane_group\"")));
        ok("apply", "-auto-approve", "-input=false", "-no-color");
        applyAll(loose);
    }

    @ParameterizedTest(name = "{0}, protocol {1}")
    @MethodSource("clisAndProtocols")
    void everyTeardownOrderLeavesNothingBehind(String cliName, int protocol) throws Exception {
        withWorkspace(cliName, protocol, () -> {

            // (1) Plain destroy, default parallelism.
            applyAll();
            ok("destroy", "-auto-approve", "-input=false", "-no-color");
            assertNothingLeft("plain destroy");

            // (2) The site first: Terraform destroys what refers to it too; the pool, user and group stay.
            applyAll();
            ok("destroy", "-auto-approve", "-input=false", "-no-color", "-target=proxplane_site.lab");
            assertThat(stateList()).as("after destroy -target site").containsExactlyInAnyOrder(
                    "proxplane_pool.web", "proxplane_user.alice", "proxplane_group.devs");
            assertThat(SimulatorAssertions.leftovers(admin)).as("Proxmox after destroy -target site")
                    .noneMatch(l -> l.startsWith("guest "))
                    .anyMatch(l -> l.startsWith("pool web (managed by proxplane"));
            ok("destroy", "-auto-approve", "-input=false", "-no-color");
            assertNothingLeft("destroy -target site, then the rest");

            // (3) The pool, then the user, then the group, then everything.
            applyAll();
            ok("destroy", "-auto-approve", "-input=false", "-no-color", "-target=proxplane_pool.web");
            assertThat(stateList()).as("after destroy -target pool").containsExactlyInAnyOrder(
                    "proxplane_site.lab", "proxplane_external_domain.apps", "proxplane_user.alice", "proxplane_group.devs",
                    "proxplane_container.db", "proxplane_container_service.pg");
            assertThat(SimulatorAssertions.leftovers(admin)).as("Proxmox after destroy -target pool")
                    .noneMatch(l -> l.startsWith("pool ") || l.contains("/pool/"))
                    .filteredOn(l -> l.startsWith("guest ")).hasSize(1);
            ok("destroy", "-auto-approve", "-input=false", "-no-color", "-target=proxplane_user.alice");
            assertThat(stateList()).as("after destroy -target user").containsExactlyInAnyOrder(
                    "proxplane_site.lab", "proxplane_external_domain.apps", "proxplane_container.db", "proxplane_container_service.pg");
            ok("destroy", "-auto-approve", "-input=false", "-no-color", "-target=proxplane_group.devs");
            ok("destroy", "-auto-approve", "-input=false", "-no-color");
            assertNothingLeft("destroy -target pool, user, group, then the rest");

            // (4) One delete at a time.
            applyAll();
            ok("destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=1");
            assertNothingLeft("destroy -parallelism=1");

            // (5) Resources removed from the configuration, in two applies.
            applyAll();
            writeConfig(BASE);
            ok("apply", "-auto-approve", "-input=false", "-no-color");
            assertThat(stateList()).as("after removing the workloads").containsExactlyInAnyOrder(
                    "proxplane_site.lab", "proxplane_external_domain.apps", "proxplane_pool.web", "proxplane_user.alice",
                    "proxplane_group.devs");
            writeConfig("");
            ok("apply", "-auto-approve", "-input=false", "-no-color");
            assertNothingLeft("resources removed from the configuration in two applies");
        });
    }

    private void applyAll() throws Exception {
        applyAll(BASE + WORKLOADS);
    }

    /** Applies the full configuration and checks that the teardown checks see every object. */
    private void applyAll(String config) throws Exception {
        writeConfig(config);
        ok("apply", "-auto-approve", "-input=false", "-no-color");
        assertThat(stateList()).containsExactlyInAnyOrderElementsOf(ALL);
        List<String> made = SimulatorAssertions.leftovers(admin);
        assertThat(made).as("what proxplane made in Proxmox").filteredOn(l -> l.startsWith("guest ")).hasSize(2);
        assertThat(made).anyMatch(l -> l.startsWith("pool web (managed by proxplane"))
                .anyMatch(l -> l.startsWith("user alice@"))
                .anyMatch(l -> l.startsWith("group devs"))
                .anyMatch(l -> l.startsWith("ACL /pool/web PVEVMUser to user alice@"))
                .anyMatch(l -> l.startsWith("ACL /pool/web PVEAuditor to group devs"));
        assertThat(rowCounts()).as("registry rows").allSatisfy((table, count) -> {
            if (!table.startsWith("engine_pool_intents")) assertThat(count).as(table).isPositive();
        });
    }

    private void assertNothingLeft(String order) throws Exception {
        assertThat(stateList()).as("Terraform state after " + order).isEmpty();
        assertThat(SimulatorAssertions.leftovers(admin)).as("objects made by proxplane still in Proxmox after " + order).isEmpty();
        assertThat(rowCounts()).as("registry rows after " + order).allSatisfy((table, count) -> assertThat(count).as(table).isZero());
    }

    private Map<String, Long> rowCounts() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = registry.connect(); Statement st = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = st.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    out.put(table, rs.getLong(1));
                }
            }
        }
        return out;
    }

    private List<String> stateList() throws Exception {
        OpenTofu.Run run = OpenTofu.run(cli, dir, env, "state", "list");
        // With no state file at all, `state list` prints nothing and succeeds (both CLIs).
        assertThat(run.exitCode()).as(run.all()).isZero();
        return new ArrayList<>(Arrays.stream(run.stdout().split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    private void writeConfig(String resources) throws Exception {
        String header = HEADER.formatted(OpenTofuWorkflowIT.version(), pve.baseUrl(), pve.certificateFingerprintSha256(), registry.url());
        Files.writeString(dir.resolve("main.tf"), header + "\n" + resources.replace("%s", pve.baseUrl()));
    }

    private OpenTofu.Run ok(String... args) throws Exception {
        OpenTofu.Run run = OpenTofu.run(cli, dir, env, args);
        assertThat(run.exitCode()).as(cli.getFileName() + " " + String.join(" ", args) + "\n" + run.all()).isZero();
        return run;
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
}
