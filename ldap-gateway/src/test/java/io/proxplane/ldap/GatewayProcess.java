package io.proxplane.ldap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway as operators run it: {@link Main} in a JVM of its own (so its memory can be read
 * from /proc and an OutOfMemoryError ends it), its log copied to this test's output. Ports come
 * from the start-up log line.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving .* on ldap:(-?\\d+) ldaps:(-?\\d+) http:(-?\\d+)");

    final Process process;
    final int ldapPort;
    final int ldapsPort;
    final int httpPort;

    private GatewayProcess(Process process, int[] ports) {
        this.process = process;
        this.ldapPort = ports[0];
        this.ldapsPort = ports[1];
        this.httpPort = ports[2];
    }

    /** Starts Main with the given JVM options and gateway flags; waits (bounded) for it to listen. */
    static GatewayProcess start(List<String> jvmOptions, List<String> flags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(flags);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<int[]> ports = new CompletableFuture<>();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread.ofPlatform().daemon(true).name("gateway-log").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println("[gateway] " + line);
                    lines.add(line);
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        ports.complete(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                                Integer.parseInt(m.group(3))});
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ports.completeExceptionally(new IllegalStateException("gateway exited before listening: " + lines));
        });
        try {
            return new GatewayProcess(p, ports.get(3, TimeUnit.MINUTES));
        } catch (Exception e) {
            p.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
            throw e;
        }
    }

    /** Peak resident memory of the gateway process (VmHWM), in bytes. */
    long peakRssBytes() throws IOException {
        return statusKib("VmHWM") * 1024;
    }

    long rssBytes() throws IOException {
        return statusKib("VmRSS") * 1024;
    }

    private long statusKib(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        throw new IOException(field + " not in /proc/" + process.pid() + "/status");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            process.waitFor(1, TimeUnit.MINUTES);
        }
    }
}
