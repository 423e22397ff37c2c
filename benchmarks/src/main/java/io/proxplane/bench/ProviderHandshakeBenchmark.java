package io.proxplane.bench;

import io.proxplane.terraform.plugin.Handshake;
import io.proxplane.terraform.plugin.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Launch -> handshake line of the packaged provider, the way go-plugin launches it (magic cookie,
 * PLUGIN_PROTOCOL_VERSIONS=5,6, a PLUGIN_CLIENT_CERT so AutoMTLS is on), with the trained
 * start-up archive (AOT cache on JDK 25+, AppCDS before) and without it (PROXPLANE_TF_ARCHIVE=off).
 * Runs alternate between the two so machine load hits both alike. Target: < 300 ms with the archive.
 *
 *   bin/bench ProviderHandshakeBenchmark [launches-per-variant, default 15]
 */
public final class ProviderHandshakeBenchmark {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path launcher = launcher();
        String clientPem = SelfSignedCertificate.generate().pem();
        // Warm the OS file cache for both variants.
        launch(launcher, clientPem, true);
        launch(launcher, clientPem, false);
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            with.add(launch(launcher, clientPem, true));
            without.add(launch(launcher, clientPem, false));
        }
        Collections.sort(with);
        Collections.sort(without);
        double ratio = median(without) / median(with);
        System.out.printf(Locale.ROOT, "## Provider launch -> handshake (%d launches each)%n%n", runs);
        System.out.printf(Locale.ROOT, "JDK %s, %d CPUs; launcher %s%n%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), launcher);
        System.out.println("| variant | min ms | median ms | p90 ms | max ms |");
        System.out.println("|---|---|---|---|---|");
        row("with start-up archive", with);
        row("without (PROXPLANE_TF_ARCHIVE=off)", without);
        System.out.printf(Locale.ROOT, "%nratio without/with (median): **%.2fx**; target < 300 ms with the archive: %s%n",
                ratio, median(with) < 300 ? "met" : "NOT met");
        System.out.println("\nReproduce: `bin/bench ProviderHandshakeBenchmark " + runs + "`");
    }

    private static void row(String name, List<Double> ms) {
        System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f |%n", name, ms.get(0), median(ms),
                ms.get((int) Math.ceil(ms.size() * 0.9) - 1), ms.get(ms.size() - 1));
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double launch(Path launcher, String clientPem, boolean archive) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString());
        pb.environment().put(Handshake.MAGIC_COOKIE_KEY, Handshake.MAGIC_COOKIE_VALUE);
        pb.environment().put("PLUGIN_PROTOCOL_VERSIONS", "5,6");
        pb.environment().put("PLUGIN_CLIENT_CERT", clientPem);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PROXPLANE_TF_ARCHIVE", archive ? "on" : "off");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process p = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            double ms = (System.nanoTime() - start) / 1e6;
            if (line == null || !line.startsWith("1|6|tcp|")) {
                throw new IllegalStateException("no handshake from " + launcher + ": " + line);
            }
            return ms;
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    private static Path launcher() {
        Path mirror = Path.of(System.getProperty("proxplane.provider.mirror", "terraform-provider/target/mirror"));
        try (var versions = Files.list(mirror.resolve("registry.opentofu.org/proxplane/proxplane"))) {
            Path dir = versions.sorted().reduce((a, b) -> b).orElseThrow().resolve("linux_amd64");
            try (var files = Files.list(dir)) {
                return files.filter(f -> f.getFileName().toString().startsWith("terraform-provider-proxplane_v"))
                        .findFirst().orElseThrow();
            }
        } catch (IOException e) {
            throw new IllegalStateException("no provider package under " + mirror + "; build terraform-provider first", e);
        }
    }
}
