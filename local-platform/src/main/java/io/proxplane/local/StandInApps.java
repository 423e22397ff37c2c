package io.proxplane.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.SiteSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulator runs no containers, so nothing would answer behind the edge's routes. With a
 * loopback site network (127.0.0.0/8) each container address is bindable here, and a stand-in
 * for the container's application listens on it: an HTTP server that echoes what nginx forwarded,
 * or a TCP echo. Requests through nginx then travel the real path end to end.
 *
 * <p>The stand-ins follow the registry, not only the first apply: {@link #sync} (run every few
 * seconds by {@link #follow}) starts one for every HTTP or TCP service of the site snapshot and
 * stops those whose service is gone, so a container created while the platform runs (your own
 * {@code tofu apply}, {@code kubectl}) answers too.
 */
final class StandInApps implements AutoCloseable {

    /** A running stand-in: the service it answers for ({@code site/container/service}) and its address. */
    private record Running(String address, AutoCloseable server) {}

    private final Map<String, Running> running = new TreeMap<>();
    private final java.io.PrintStream out;
    private volatile Thread follower;

    StandInApps(java.io.PrintStream out) {
        this.out = out;
    }

    /** Starts what the deployment's first apply made; a port this user may not bind (below 1024 without root) is reported and skipped. */
    static StandInApps start(Deployment deployment, java.io.PrintStream out) {
        StandInApps apps = new StandInApps(out);
        List<Wanted> wanted = new ArrayList<>();
        for (Deployment.Service s : deployment.services()) {
            Deployment.Container c = deployment.container(s.container());
            wanted.add(new Wanted(s.site() + "/" + s.container() + "/" + s.name(), s.kind(), c.name(), c.ipv4(),
                    s.internalPort()));
        }
        apps.sync(wanted, false);
        return apps;
    }

    /** A service that should have a stand-in: kind http or tcp, with its container's address and port. */
    record Wanted(String key, String kind, String container, String ipv4, Integer port) {}

    /** The stand-ins a site snapshot asks for. */
    static List<Wanted> wanted(SiteSnapshot snapshot) {
        List<Wanted> out = new ArrayList<>();
        for (SiteSnapshot.ServiceEntry s : snapshot.services()) {
            out.add(new Wanted(snapshot.site().name() + "/" + s.containerName() + "/" + s.name(), s.kind().toString(),
                    s.containerName(), s.containerIpv4(), s.internalPort()));
        }
        return out;
    }

    /**
     * Makes the running stand-ins match {@code wanted}: new ones started, those not wanted any more
     * (or whose container moved to another address) stopped. Returns how many changed.
     */
    synchronized int sync(List<Wanted> wanted, boolean announce) {
        Map<String, Wanted> byKey = new TreeMap<>();
        for (Wanted w : wanted) {
            if (w.port() == null || w.ipv4() == null || !(w.kind().equals("http") || w.kind().equals("tcp"))) continue;
            try {
                if (!InetAddress.getByName(w.ipv4()).isLoopbackAddress()) continue; // a real network: the real container answers
            } catch (java.net.UnknownHostException e) {
                continue;
            }
            byKey.put(w.key(), w);
        }
        int changed = 0;
        for (var it = running.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Wanted w = byKey.get(e.getKey());
            if (w == null || !e.getValue().address().equals(address(w))) {
                closeQuietly(e.getValue().server());
                it.remove();
                changed++;
                if (announce) out.printf("    stand-in for %s stopped%n", e.getKey());
            }
        }
        for (Wanted w : byKey.values()) {
            if (running.containsKey(w.key())) continue;
            InetSocketAddress address = new InetSocketAddress(w.ipv4(), w.port());
            try {
                AutoCloseable server = w.kind().equals("http") ? http(address, w.container()) : tcpEcho(address);
                running.put(w.key(), new Running(address(w), server));
                changed++;
                if (announce) out.printf("    stand-in for %s listens on %s%n", w.key(), address(w));
            } catch (IOException e) {
                out.printf("    note: no stand-in for %s: cannot bind %s (%s)%n", w.key(), address(w), e.getMessage());
            }
        }
        return changed;
    }

    /** Polls the sites' snapshots every {@code period} and keeps the stand-ins in step, until closed. */
    void follow(Registry registry, List<String> sites, java.time.Duration period) {
        follower = Thread.ofPlatform().daemon(true).name("stand-in-follower").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(period);
                    List<Wanted> wanted = new ArrayList<>();
                    for (String site : sites) {
                        registry.sites().findByName(site).ifPresent(s -> wanted.addAll(wanted(registry.siteSnapshot(s.id()))));
                    }
                    sync(wanted, true);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the registry is briefly unreachable: try again at the next round
                }
            }
        });
    }

    private static String address(Wanted w) {
        return w.ipv4() + ":" + w.port();
    }

    synchronized int count() {
        return running.size();
    }

    synchronized boolean serves(Deployment.Service service) {
        return running.containsKey(service.site() + "/" + service.container() + "/" + service.name());
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    private static AutoCloseable http(InetSocketAddress address, String container) throws IOException {
        HttpServer server = HttpServer.create(address, 50);
        server.createContext("/", ex -> {
            Map<String, String> seen = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> {
                String key = k.toLowerCase(java.util.Locale.ROOT);
                if (key.startsWith("x-") || key.equals("host")) {
                    seen.put(key, String.join(",", v));
                }
            });
            StringBuilder body = new StringBuilder("hello from ").append(container)
                    .append(" (stand-in for the application in the container)\n");
            seen.forEach((k, v) -> body.append(k).append(": ").append(v).append('\n'));
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        var executor = java.util.concurrent.Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon(true).factory());
        server.setExecutor(executor);
        server.start();
        return () -> {
            server.stop(0);
            executor.shutdownNow();
        };
    }

    private static AutoCloseable tcpEcho(InetSocketAddress address) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(address);
        Thread.ofPlatform().daemon(true).name("stand-in-echo-" + address.getPort()).start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Thread.ofVirtual().start(() -> echo(client));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return socket;
    }

    private static void echo(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the peer went away
        }
    }

    @Override
    public synchronized void close() {
        Thread f = follower;
        if (f != null) f.interrupt();
        running.values().forEach(r -> closeQuietly(r.server()));
        running.clear();
    }
}
