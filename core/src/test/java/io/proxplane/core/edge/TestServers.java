package io.proxplane.core.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/** Tiny local servers standing in for containers and the auth server. Closed together. */
final class TestServers implements AutoCloseable {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "edge-test-server");
        thread.setDaemon(true);
        return thread;
    });
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** A request as a backend saw it. */
    record Seen(String method, String uri, Map<String, String> headers, long bodyBytes) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Plain or TLS HTTP backend that records each request and answers "backend:<name>". */
    int httpBackend(String name, SSLContext tls, ConcurrentLinkedQueue<Seen> seen) throws IOException {
        HttpServer server = tls == null ? HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0)
                : HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        if (server instanceof HttpsServer https) {
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
        }
        server.createContext("/", exchange -> {
            long bytes;
            try (InputStream body = exchange.getRequestBody()) {
                bytes = body.transferTo(OutputStream.nullOutputStream());
            }
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers(exchange), bytes));
            respond(exchange, 200, Map.of(), "backend:" + name);
        });
        return start(server);
    }

    /**
     * Forward-auth server: {@code /verify} answers 200 with identity headers when the request
     * carries the cookie {@code session=good}, else 401.
     */
    int authServer(ConcurrentLinkedQueue<Seen> seen) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/verify", exchange -> {
            exchange.getRequestBody().close();
            Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers(exchange), 0);
            seen.add(request);
            String cookie = request.header("Cookie");
            if (cookie != null && cookie.contains("session=good")) {
                respond(exchange, 200, Map.of("X-User-ID", "2001", "X-Username", "alice", "X-Email", "alice@example.test",
                        "X-Groups", "dev,ops", "X-User-First-Name", "Alice", "X-User-Last-Name", "Liddell"), "");
            } else {
                respond(exchange, 401, Map.of(), "");
            }
        });
        return start(server);
    }

    private int start(HttpServer server) {
        server.setExecutor(threads);
        server.start();
        closeables.add(() -> server.stop(0));
        return server.getAddress().getPort();
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((key, values) -> headers.put(key.toLowerCase(Locale.ROOT), String.join(",", values)));
        return headers;
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        headers.forEach((key, value) -> exchange.getResponseHeaders().add(key, value));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Raw WebSocket-ish backend: answers the upgrade with 101 (with the RFC 6455 accept key), then
     * reads one line and answers {@code pong <line>} over the upgraded connection.
     */
    int webSocketBackend() throws IOException {
        return rawTcp(socket -> {
            try {
                InputStream in = socket.getInputStream();
                String head = readHead(in);
                String key = null;
                boolean upgrade = false;
                for (String line : head.split("\r\n")) {
                    String lower = line.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("sec-websocket-key:")) {
                        key = line.substring(line.indexOf(':') + 1).trim();
                    }
                    if (lower.startsWith("upgrade:") && lower.contains("websocket")) {
                        upgrade = true;
                    }
                }
                OutputStream out = socket.getOutputStream();
                if (!upgrade || key == null) {
                    out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                        .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
                out.write(("pong " + line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** TCP backend that upper-cases one line and closes. */
    int tcpUpperCase() throws IOException {
        return rawTcp(socket -> {
            try {
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
                socket.getOutputStream().write((line.toUpperCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** UDP backend that answers each datagram with its upper-cased content. */
    int udpUpperCase() throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        closeables.add(socket);
        threads.submit(() -> {
            byte[] buffer = new byte[2048];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    byte[] answer = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8)
                            .toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return socket.getLocalPort();
    }

    private int rawTcp(Consumer<Socket> handler) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        closeables.add(server);
        threads.submit(() -> {
            while (!server.isClosed()) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (IOException e) {
                    return;
                }
                threads.submit(() -> {
                    try (socket) {
                        socket.setSoTimeout(10_000);
                        handler.accept(socket);
                    } catch (Exception e) {
                        // the test that used this connection reports the failure
                    }
                });
            }
        });
        return server.getLocalPort();
    }

    /** Reads an HTTP head (up to and including the blank line) byte by byte, leaving the rest unread. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // best effort during teardown
            }
        }
        threads.shutdownNow();
    }
}
