package io.proxplane.terraform;

import io.proxplane.terraform.framework.ProviderCore;
import io.proxplane.terraform.plugin.Handshake;
import io.proxplane.terraform.plugin.PluginServer;
import io.proxplane.terraform.plugin.PortRange;
import io.proxplane.terraform.plugin.ServerTls;
import io.proxplane.terraform.provider.ProxplaneProvider;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The provider executable (launched by Terraform/OpenTofu through the package's launcher script).
 * stdout carries exactly one line, the handshake; everything else goes to stderr.
 */
public final class Main {

    private static final long START = System.nanoTime();
    private static final Consumer<PluginServer> LOG_START = s -> org.slf4j.LoggerFactory.getLogger(Main.class)
            .info("serving on {} after {} ms in main", s.address(), (System.nanoTime() - START) / 1_000_000);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        StartupTrace.mark("main");
        // Before anything can log: nothing but the handshake may reach stdout.
        PrintStream handshakeOut = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel(System.getenv("TF_LOG_PROVIDER"), System.getenv("TF_LOG")));
        // Logging is bound here, before the start-up threads: SLF4J warns on stderr when several
        // threads race to initialise it.
        org.slf4j.LoggerFactory.getILoggerFactory();
        StartupTrace.mark("logging");
        System.exit(run(System.getenv(), handshakeOut));
    }

    /** Serves until GRPCController.Shutdown; returns the exit code on a start-up failure. */
    static int run(Map<String, String> env, PrintStream handshakeOut) throws Exception {
        if (!Handshake.MAGIC_COOKIE_VALUE.equals(env.get(Handshake.MAGIC_COOKIE_KEY))) {
            System.err.println("This is the proxplane Terraform/OpenTofu provider plugin. It is started by terraform or tofu, "
                    + "not by hand: put it in a provider mirror and run `tofu init`. See docs/terraform/index.md.");
            return 1;
        }
        OptionalInt version;
        PortRange ports;
        try {
            version = Handshake.negotiate(env.get("PLUGIN_PROTOCOL_VERSIONS"), Handshake.offered(env.get(Handshake.PROTOCOLS_ENV)));
            ports = PortRange.from(env);
        } catch (IllegalArgumentException e) {
            return startFailure(handshakeOut, e.getMessage());
        }
        if (version.isEmpty()) {
            return startFailure(handshakeOut, "no common plugin protocol: the CLI offers " + env.get("PLUGIN_PROTOCOL_VERSIONS")
                    + ", this provider serves " + Handshake.offered(env.get(Handshake.PROTOCOLS_ENV))
                    + " (" + Handshake.PROTOCOLS_ENV + ")");
        }
        String clientPem = env.get("PLUGIN_CLIENT_CERT");
        // The TLS side (key generation, JSSE and Netty set-up) is most of a cold start and needs
        // nothing from the provider: it runs on its own threads while the provider is set up here.
        CompletableFuture<ServerTls> tls = clientPem != null && !clientPem.isBlank() ? ServerTls.prepare(clientPem) : null;
        PluginServer.prepare(version.getAsInt());
        StartupTrace.mark("main: TLS and gRPC started");
        ignoreInterrupt();
        ProxplaneProvider provider = new ProxplaneProvider(env);
        ProviderCore core = new ProviderCore(provider);
        StartupTrace.mark("provider set up");
        AtomicReference<PluginServer> serving = new AtomicReference<>();
        PluginServer server;
        try {
            server = PluginServer.startPrepared(core, version.getAsInt(), tls, ports, () -> {
                // One line per provider process (TF_LOG_PROVIDER=INFO): what a plan or apply cost in Proxmox calls.
                org.slf4j.LoggerFactory.getLogger(Main.class).info("Proxmox requests {}", provider.proxmoxRequestCounts());
                exitSoon(serving.get());
            });
        } catch (IllegalArgumentException | java.io.IOException e) {
            // A PLUGIN_CLIENT_CERT that is not a certificate, no free port in the range.
            return startFailure(handshakeOut, e.getMessage());
        }
        serving.set(server);
        handshakeOut.println(server.handshakeLine());
        handshakeOut.flush();
        StartupTrace.mark("handshake line written");
        StartupTrace.print();
        LOG_START.accept(server);
        server.awaitTermination();
        // The shutdown thread stops the event loops and halts; exiting here instead would make
        // HotSpot wait for those threads to leave native code.
        Thread.sleep(5_000);
        return 0;
    }

    /**
     * A failure before the handshake. The CLI shows stderr only in its debug log, but quotes a
     * stdout line that is not a handshake ("Unrecognized remote plugin message: ..."): the reason
     * goes there too, on one line without '|' (go-plugin splits a handshake at '|').
     */
    static int startFailure(PrintStream handshakeOut, String reason) {
        String line = "proxplane provider cannot start: " + reason.replace('|', '/').replaceAll("[\\r\\n]+", " ");
        System.err.println(line);
        handshakeOut.println(line);
        handshakeOut.flush();
        return 1;
    }

    /**
     * After the Shutdown reply has gone out: stop the event loops (HotSpot's exit otherwise waits
     * ~0.3 s for their threads to leave epoll_wait — per launch, several launches per command),
     * then halt: there is nothing to flush or clean up, the state lives in Terraform.
     */
    private static void exitSoon(PluginServer server) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (server != null) {
                server.close();
            }
            System.err.flush();
            Runtime.getRuntime().halt(0);
        }, "shutdown");
        t.setDaemon(false);
        t.start();
    }

    /**
     * Ctrl-C reaches the whole process group; Terraform handles it with StopProvider (which
     * cancels the operations in progress, see ProviderCore#stop) and then Shutdown, so the JVM must
     * not die on SIGINT (go-plugin servers ignore it too): the interrupted resource must still get
     * its error reply.
     */
    @SuppressWarnings("restriction")
    private static void ignoreInterrupt() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> { });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // No SIGINT on this platform.
        }
    }

    static String logLevel(String providerLevel, String level) {
        String l = providerLevel != null && !providerLevel.isBlank() ? providerLevel : level;
        if (l == null || l.isBlank()) {
            return "warn";
        }
        return switch (l.strip().toUpperCase(java.util.Locale.ROOT)) {
            case "TRACE" -> "trace";
            case "DEBUG", "JSON" -> "debug";
            case "INFO" -> "info";
            case "ERROR" -> "error";
            default -> "warn";
        };
    }
}
