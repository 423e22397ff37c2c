package io.proxplane.ldap;

import io.proxplane.ldap.push.HttpPushNotifier;
import io.proxplane.ldap.push.PushOutcome;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Push 2FA after the push service closed an idle keep-alive connection (Node closes them after
 * 5 s) and after the service restarted (issue item 5): each login still sends exactly one push
 * and gets its answer. The server here is a real HTTP/1.1 keep-alive server on a socket.
 */
class PushIdleCloseTest {
    /** Answers every POST with {"action":"approve"}, keeps the connection, closes it after {@code keepAlive} idle. */
    static final class KeepAliveServer implements AutoCloseable {
        final AtomicInteger requests = new AtomicInteger();
        /** Connections ended, by the server's keep-alive timeout or by the client. */
        final AtomicInteger ended = new AtomicInteger();
        private final int keepAliveMillis;
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private ServerSocket server;

        KeepAliveServer(int port, int keepAliveMillis) throws IOException {
            this.keepAliveMillis = keepAliveMillis;
            // Rebinding the port of a just-stopped server can take a moment while its sockets close.
            for (long end = System.nanoTime() + Duration.ofMinutes(2).toNanos(); ; ) {
                server = new ServerSocket();
                server.setReuseAddress(true);
                try {
                    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    break;
                } catch (java.net.BindException busy) {
                    server.close();
                    if (System.nanoTime() > end) throw busy;
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
            }
            Thread.ofPlatform().daemon(true).start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = server.accept();
                    open.add(s);
                    Thread.ofPlatform().daemon(true).start(() -> serve(s));
                }
            } catch (IOException closed) {
                // stopped
            }
        }

        private void serve(Socket s) {
            try (s) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = s.getOutputStream();
                while (true) {
                    s.setSoTimeout(keepAliveMillis);
                    String requestLine;
                    try {
                        requestLine = in.readLine();
                    } catch (SocketTimeoutException idle) {
                        return; // the keep-alive timeout: close, as Node does
                    }
                    if (requestLine == null) return;
                    s.setSoTimeout(60_000);
                    int length = 0;
                    for (String h; (h = in.readLine()) != null && !h.isEmpty(); ) {
                        if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(h.substring(15).trim());
                    }
                    for (int i = 0; i < length; i++) in.read();
                    requests.incrementAndGet();
                    byte[] body = "{\"action\":\"approve\"}".getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                }
            } catch (IOException ignored) {
                // client went away
            } finally {
                open.remove(s);
                ended.incrementAndGet();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) s.close();
        }
    }

    static void await(AtomicInteger counter, int atLeast) throws InterruptedException {
        // a hang guard of minutes, not a budget
        for (long end = System.nanoTime() + Duration.ofMinutes(2).toNanos(); counter.get() < atLeast && System.nanoTime() < end; ) {
            Thread.sleep(10);
        }
        assertThat(counter.get()).isGreaterThanOrEqualTo(atLeast);
    }

    @Test
    void pushesSurviveIdleClosesAndRestartsWithOnePushPerLogin() throws Exception {
        KeepAliveServer service = new KeepAliveServer(0, 200);
        int port = service.port();
        HttpPushNotifier notifier = new HttpPushNotifier("http://127.0.0.1:" + port + "/send-notification", null, null,
                Duration.ofSeconds(60));
        try {
            assertThat(notifier.requestApproval("dave", "10.0.0.1")).isEqualTo(PushOutcome.APPROVED);
            assertThat(service.requests.get()).isEqualTo(1);
            // The first connection is gone (the service closed it when idle, if the client kept it);
            // the next login must not fail on it.
            await(service.ended, 1);
            assertThat(notifier.requestApproval("dave", "10.0.0.1")).isEqualTo(PushOutcome.APPROVED);
            assertThat(service.requests.get()).isEqualTo(2);
            // The service restarts on the same port (every connection of the old one is gone).
            service.close();
            service = new KeepAliveServer(port, 200);
            assertThat(notifier.requestApproval("dave", "10.0.0.1")).isEqualTo(PushOutcome.APPROVED);
            assertThat(service.requests.get()).as("one push per login").isEqualTo(1);
            // Back-to-back logins (no idle close in between) also send one push each.
            assertThat(notifier.requestApproval("erin", "10.0.0.2")).isEqualTo(PushOutcome.APPROVED);
            assertThat(service.requests.get()).isEqualTo(2);
        } finally {
            service.close();
        }
    }
}
