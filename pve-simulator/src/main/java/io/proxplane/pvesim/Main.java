package io.proxplane.pvesim;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Standalone server: java -jar pve-simulator.jar --port 8006 --token 'root@pam!ci=SECRET' ... */
public final class Main {
    private Main() {}

    static final String USAGE = """
            usage: java -jar pve-simulator.jar [options]   (--name value or --name=value)
              --host ADDR               bind address (default 127.0.0.1)
              --port N                  port (default 8006; 0 = any)
              --token 'USER@REALM!ID=SECRET'   privsep=0 API token (repeatable)
              --user USER@REALM:PASSWORD  user that can log in with a ticket (repeatable)
              --nodes a,b               node names (default pve)
              --task-duration 500ms     duration of every task
              --resources-lag 10s       /cluster/resources status lag
              --unauthorized-delay 3s   delay of every 401
              --flock-timeout 10s       per-guest config lock wait
              --ticket-lifetime 2h      ticket lifetime
              --state-file PATH         load at start, save on exit
              --pve-version 9.1.5       emulated version
              --help
            """;

    public static void main(String[] args) throws Exception {
        PveSimulator.Builder b;
        try {
            b = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (b == null) {
            System.out.print(USAGE);
            return;
        }
        PveSimulator sim = b.build().start();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            done.countDown();
        }));
        System.out.println("PVE simulator listening on " + sim.baseUrl() + "/api2/json");
        System.out.println("certificate fingerprint " + sim.certificateFingerprintSha256());
        done.await();
    }

    /** Parses the command line; null means --help. */
    static PveSimulator.Builder parse(String[] args) {
        PveSimulator.Builder b = PveSimulator.builder().port(8006);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) return null;
            String v;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) { // --name=value; the value may itself hold '=' (tokens)
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            } else {
                if (i + 1 >= args.length) throw new IllegalArgumentException("missing value for " + a);
                v = args[++i];
            }
            switch (a) {
                case "--host" -> b.host(v);
                case "--port" -> b.port(Integer.parseInt(v));
                case "--token" -> {
                    int sep = v.indexOf('=', v.indexOf('!'));
                    if (v.indexOf('!') < 0 || sep < 0) throw new IllegalArgumentException("--token must be USER@REALM!ID=SECRET");
                    b.apiToken(v.substring(0, sep), v.substring(sep + 1));
                }
                case "--user" -> {
                    int sep = v.indexOf(':');
                    if (sep < 0) throw new IllegalArgumentException("--user must be USER@REALM:PASSWORD");
                    b.user(v.substring(0, sep), v.substring(sep + 1));
                }
                case "--nodes" -> b.nodes(PveSimulator.list(v).toArray(String[]::new));
                case "--task-duration" -> b.taskDuration(duration(v));
                case "--resources-lag" -> b.resourcesLag(duration(v));
                case "--unauthorized-delay" -> b.unauthorizedDelay(duration(v));
                case "--flock-timeout" -> b.flockTimeout(duration(v));
                case "--ticket-lifetime" -> b.ticketLifetime(duration(v));
                case "--state-file" -> b.stateFile(Path.of(v));
                case "--pve-version" -> b.pveVersion(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        return b;
    }

    /** "500ms", "10s", "2m", "2h" or plain milliseconds. */
    static Duration duration(String v) {
        var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(v.trim());
        if (!m.matches()) throw new IllegalArgumentException("not a duration: " + v);
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
