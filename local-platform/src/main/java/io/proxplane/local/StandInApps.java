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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulator runs no containers, so nothing would answer behind the edge's routes. With a
 * loopback site network (127.0.0.0/8) each container address is bindable here, and a stand-in
 * for the container's application listens on it: an HTTP server that echoes what nginx forwarded,
 * or a TCP echo. Requests through nginx then travel the real path end to end.
 */
final class StandInApps implements AutoCloseable {

    private final List<AutoCloseable> servers = new ArrayList<>();
    private final java.util.Set<Deployment.Service> served = new java.util.HashSet<>();

    /** Starts what it can; a port this user may not bind (below 1024 without root) is reported and skipped. */
    static StandInApps start(Deployment deployment, java.io.PrintStream out) throws IOException {
        StandInApps apps = new StandInApps();
        for (Deployment.Service s : deployment.services()) {
            if (s.internalPort() == null || !(s.kind().equals("http") || s.kind().equals("tcp"))) {
                continue;
            }
            Deployment.Container c = deployment.container(s.container());
            InetAddress ip = InetAddress.getByName(c.ipv4());
            if (!ip.isLoopbackAddress()) {
                continue; // a real network: the real container answers
            }
            InetSocketAddress address = new InetSocketAddress(ip, s.internalPort());
            try {
                if (s.kind().equals("http")) {
                    apps.http(address, c.name());
                } else {
                    apps.tcpEcho(address);
                }
                apps.served.add(s);
            } catch (java.net.BindException e) {
                out.printf("    note: no stand-in for %s/%s: cannot bind %s:%d (%s)%n", s.container(), s.name(),
                        c.ipv4(), s.internalPort(), e.getMessage());
            }
        }
        return apps;
    }

    int count() {
        return servers.size();
    }

    boolean serves(Deployment.Service service) {
        return served.contains(service);
    }

    private void http(InetSocketAddress address, String container) throws IOException {
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
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon(true).factory()));
        server.start();
        servers.add(() -> server.stop(0));
    }

    private void tcpEcho(InetSocketAddress address) throws IOException {
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
        servers.add(socket);
    }

    private static void echo(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the peer went away
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
    }
}
