package io.proxplane.core.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.proxplane.core.proxmox.error.LockedException;
import io.proxplane.core.proxmox.error.NotFoundException;
import io.proxplane.core.proxmox.error.TransientException;
import io.proxplane.core.proxmox.model.LxcConfigUpdate;
import io.proxplane.core.proxmox.model.Upid;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport's wire behaviour (encoding, auth header, retries, counting) against a small
 * scripted HTTP server; the Proxmox semantics are covered against the simulator.
 */
class TransportTest {

    private record Received(String method, String rawPath, String rawQuery, String body, String authorization,
                            String contentType) {
    }

    private record Reply(int status, String reason, String body) {
    }

    private HttpServer server;
    private final Deque<Reply> script = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Duration> sleeps = new ArrayList<>();
    private ProxmoxClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), new String(in, StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type")));
            Reply r;
            synchronized (script) {
                r = script.isEmpty() ? new Reply(200, "OK", "{\"data\":null}") : script.poll();
            }
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(r.status(), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        RetryPolicy retry = RetryPolicy.of(3, Duration.ofMillis(100), Duration.ofSeconds(1))
                .withJitter(() -> 0.5).withSleeper(sleeps::add);
        client = ProxmoxClient.builder().endpoint("http://127.0.0.1:" + server.getAddress().getPort())
                .apiToken("root@pam!test", "s3cret").retryPolicy(retry).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private void reply(int status, String reason, String body) {
        synchronized (script) {
            script.add(new Reply(status, reason, body));
        }
    }

    @Test
    void upidPathSegmentsAreFullyEncodedAndGetHasNoBody() {
        reply(200, "OK", "{\"data\":{\"status\":\"running\",\"upid\":\"x\"}}");
        Upid upid = Upid.parse("UPID:pve:0002A1B2:00C4D5E6:66A1B2C3:vzcreate:100:root@pam!test:");
        client.tasks().status(upid);
        Received r = received.getFirst();
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.rawPath()).isEqualTo(
                "/api2/json/nodes/pve/tasks/UPID%3Apve%3A0002A1B2%3A00C4D5E6%3A66A1B2C3%3Avzcreate%3A100%3Aroot%40pam%21test%3A/status");
        assertThat(r.body()).isEmpty();
        assertThat(r.authorization()).isEqualTo("PVEAPIToken=root@pam!test=s3cret");
        assertThat(client.requestCounts()).containsExactly(Map.entry("GET /nodes/{node}/tasks/{upid}/status", 1L));
    }

    @Test
    void writesAreFormEncodedWithBooleansAsZeroOne() {
        client.lxc().updateConfig("pve", 100, LxcConfigUpdate.builder().onboot(true).description("a b&c").digest("d1").build());
        Received r = received.getFirst();
        assertThat(r.method()).isEqualTo("PUT");
        assertThat(r.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(r.body()).isEqualTo("onboot=1&description=a+b%26c&digest=d1");
    }

    @Test
    void deleteCarriesParametersInTheQueryAndNoBody() {
        reply(200, "OK", "{\"data\":\"UPID:pve:0002A1B2:00C4D5E6:66A1B2C3:vzdestroy:100:root@pam!test:\"}");
        client.lxc().destroy("pve", 100, io.proxplane.core.proxmox.model.DestroyOptions.defaults().withPurge(true));
        Received r = received.getFirst();
        assertThat(r.method()).isEqualTo("DELETE");
        assertThat(r.rawQuery()).isEqualTo("purge=1");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void idempotentCallIsRetriedOnTransientErrorsWithJitteredBackOff() {
        reply(596, "Connection timed out", "{\"data\":null}");
        reply(503, "Service unavailable", "{\"data\":null}");
        reply(200, "OK", "{\"data\":\"123\"}");
        List<String> seen = new CopyOnWriteArrayList<>();
        client.addRequestListener((m, t, path, p) -> seen.add(m + " " + t));
        assertThat(client.cluster().nextId()).isEqualTo(123);
        assertThat(sleeps).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(client.requestCounts()).containsEntry("GET /cluster/nextid", 3L);
        assertThat(seen).hasSize(3).containsOnly("GET /cluster/nextid");
        client.resetRequestCounts();
        assertThat(client.requestCounts()).isEmpty();
    }

    @Test
    void retriesAreBounded() {
        for (int i = 0; i < 3; i++) {
            reply(500, "CT is locked (backup)", "{\"data\":null,\"message\":\"CT is locked (backup)\\n\"}");
        }
        assertThatThrownBy(() -> client.lxc().start("pve", 100))
                .isInstanceOfSatisfying(LockedException.class, e -> assertThat(e.lock()).isEqualTo("backup"));
        assertThat(received).hasSize(3);
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void nonIdempotentCallIsNotRepeatedWhenTheWorkMayHaveHappened() {
        reply(596, "Connection timed out", "{\"data\":null}");
        assertThatThrownBy(() -> client.lxc().start("pve", 100))
                .isInstanceOfSatisfying(TransientException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(596);
                    assertThat(e.mayHaveReachedServer()).isTrue();
                });
        assertThat(received).hasSize(1);
    }

    @Test
    void nonIdempotentCallIsRepeatedWhenTheRequestProvablyDidNotArrive() {
        reply(595, "Errors during connection establishment, proxy handshake: Connection refused", "{\"data\":null}");
        reply(200, "OK", "{\"data\":\"UPID:pve:0002A1B2:00C4D5E6:66A1B2C3:vzstart:100:root@pam!test:\"}");
        assertThat(client.lxc().start("pve", 100).type()).isEqualTo("vzstart");
        assertThat(received).hasSize(2);
    }

    @Test
    void businessErrorsFailFast() {
        reply(500, "Configuration file 'nodes/pve/lxc/100.conf' does not exist",
                "{\"data\":null,\"message\":\"Configuration file 'nodes/pve/lxc/100.conf' does not exist\\n\"}");
        assertThatThrownBy(() -> client.lxc().config("pve", 100)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("GET /nodes/pve/lxc/100/config");
        assertThat(received).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void connectionRefusedIsTransientAndRetried() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<Duration> waits = new ArrayList<>();
        try (ProxmoxClient dead = ProxmoxClient.builder().endpoint("http://127.0.0.1:" + port).apiToken("root@pam!ci", "x")
                .retryPolicy(RetryPolicy.of(2, Duration.ofMillis(10), Duration.ofMillis(10)).withSleeper(waits::add)).build()) {
            assertThatThrownBy(() -> dead.lxc().start("pve", 100))
                    .isInstanceOfSatisfying(TransientException.class, e -> {
                        assertThat(e.httpStatus()).isZero();
                        assertThat(e.mayHaveReachedServer()).isFalse();
                    });
            assertThat(waits).hasSize(1); // not sent, so even a POST is retried
        }
    }

    @Test
    void envelopeValuesAreParsedLeniently() {
        reply(200, "OK", "{\"data\":[{\"id\":\"lxc/100\",\"type\":\"lxc\",\"vmid\":\"100\",\"template\":0,\"maxmem\":\"536870912\","
                + "\"shared\":true,\"tags\":\"a;b\"},{\"id\":\"storage/pve/local\",\"type\":\"storage\",\"shared\":\"0\","
                + "\"template\":false}]}");
        var resources = client.cluster().resources();
        assertThat(resources.get(0).vmid()).isEqualTo(100);
        assertThat(resources.get(0).maxmem()).isEqualTo(536870912L);
        assertThat(resources.get(0).shared()).isTrue();
        assertThat(resources.get(0).tags()).containsExactly("a", "b");
        assertThat(resources.get(1).shared()).isFalse();
        assertThat(resources.get(1).template()).isFalse();
    }

    @Test
    void stoppedContainerHasNoInterfaces() {
        reply(200, "OK", "{\"data\":null}");
        assertThat(client.lxc().interfaces("pve", 100)).isEmpty();
    }
}
