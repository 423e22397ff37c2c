package io.proxplane.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The commands the README and docs/*.md show work on a machine whose default {@code java} is 17:
 * every {@code sh} block goes through the bin/ wrappers (no bare {@code mvn} or
 * {@code java -jar}), and the cheap ones — {@code bin/... --help} and {@code bin/mvn -v}, which
 * need no cluster, database or long build — are run with JDK 17 first on PATH and no JAVA_HOME.
 * {@code bin/proxplane-local --help} is left out: its wrapper rebuilds the whole reactor when the
 * sources are newer than its jar, which they are while this module's tests run.
 */
class DocumentedCommandsTest {

    private static final Path ROOT = Path.of(System.getProperty("proxplane.project.root", "..")).toAbsolutePath().normalize();
    private static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin");
    private static final Pattern CHEAP = Pattern.compile("bin/(?!proxplane-local\\b)\\S+ --help|bin/mvn -v");
    private static final Pattern BARE_JAVA = Pattern.compile("^(mvn|java|\\. bin/java-env\\.sh)(\\s|$)");

    @Test
    void shBlocksUseTheWrappersOnly() throws IOException {
        List<String> bare = new ArrayList<>();
        for (Command c : commands()) {
            if (BARE_JAVA.matcher(c.line()).find()) {
                bare.add(c.file() + ": " + c.line());
            }
        }
        assertThat(bare).as("sh blocks must run Java through bin/ (bin/mvn, bin/proxplane-*)").isEmpty();
    }

    @Test
    void theCheapCommandsSucceedWithJava17FirstOnPath() throws Exception {
        assertThat(JDK17.resolve("java")).as("this test needs a JDK 17 at " + JDK17 + " (openjdk-17-jre-headless)").isExecutable();
        List<Command> cheap = commands().stream().filter(c -> CHEAP.matcher(c.line()).matches()).distinct().toList();
        // The README and the component pages show these; fewer means a page lost them.
        assertThat(cheap.stream().map(Command::line).distinct())
                .contains("bin/mvn -v", "bin/proxplane-simulator --help", "bin/proxplane-ldap-gateway --help",
                        "bin/proxplane-edge-agent --help");
        assertThat(run("java -version 2>&1")).as("precondition: java on PATH is 17").contains("version \"17.");
        for (Command c : cheap) {
            String out = run(c.line());
            if (c.line().equals("bin/mvn -v")) {
                assertThat(out).as(c.toString()).containsPattern("Java version: (2[1-9]|[3-9]\\d)");
            } else {
                assertThat(out).as(c.toString()).doesNotContain("UnsupportedClassVersionError").contains("  --")
                        .containsAnyOf("usage", "options");
            }
        }
    }

    /** Runs one line with bash in the project root, JDK 17 first on PATH and no JAVA_HOME; returns stdout+stderr. */
    private static String run(String line) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("JAVA_HOME");
        env.put("PATH", JDK17 + ":/usr/local/bin:/usr/bin:/bin");
        Process p = pb.start();
        byte[] bytes = p.getInputStream().readAllBytes(); // returns when the command and its children close stdout
        // Generous: a wrapper builds its jar when it is missing.
        assertThat(p.waitFor(15, TimeUnit.MINUTES)).as(line + " finished").isTrue();
        String out = new String(bytes, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(line + " exit status; output:\n" + out).isZero();
        return out;
    }

    record Command(Path file, String line) {
    }

    /** Every command line of the sh blocks in README.md and docs/*.md (continuations joined, comments cut). */
    static List<Command> commands() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        files.add(ROOT.resolve("docs/terraform/index.md"));
        files.add(ROOT.resolve("examples/terraform/README.md"));
        List<Command> out = new ArrayList<>();
        for (Path f : files) {
            boolean inSh = false;
            StringBuilder pending = new StringBuilder();
            for (String raw : Files.readAllLines(f)) {
                String line = raw.strip();
                if (line.startsWith("```")) {
                    inSh = !inSh && line.equals("```sh");
                    continue;
                }
                if (!inSh) {
                    continue;
                }
                int hash = line.indexOf(" #");
                if (line.startsWith("#")) {
                    line = "";
                } else if (hash >= 0) {
                    line = line.substring(0, hash).strip();
                }
                if (line.endsWith("\\")) {
                    pending.append(line, 0, line.length() - 1).append(' ');
                    continue;
                }
                String full = (pending + line).strip();
                pending.setLength(0);
                if (!full.isEmpty()) {
                    out.add(new Command(ROOT.relativize(f), full));
                }
            }
        }
        return out;
    }
}
