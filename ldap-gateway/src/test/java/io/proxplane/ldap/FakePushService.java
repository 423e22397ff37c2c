package io.proxplane.ldap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local fake of mieweb_auth_app's POST /send-notification (seed-system.md §11.1): one pending
 * request per username (a new one cancels the previous, which then answers "timeout"), a bounded
 * wait after which it answers HTTP 200 {"action":"timeout"}, and validation errors as documented.
 */
final class FakePushService implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpServer server;
    private final Duration serviceWait;
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    /** Usernames the service does not know: answered 404 no-devices. */
    final java.util.Set<String> unknownUsers = ConcurrentHashMap.newKeySet();

    FakePushService(Duration serviceWait) throws IOException {
        this.serviceWait = serviceWait;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/send-notification", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/send-notification";
    }

    /** Users the service has sent an answer for (approve, reject or its own timeout). */
    final java.util.Set<String> answered = ConcurrentHashMap.newKeySet();

    /** Whether a push for the user is held, unanswered. */
    boolean isPending(String username) {
        return pending.containsKey(username);
    }

    /**
     * The phone's answer ("approve" / "reject") for the user's pending request; waits until one is
     * pending (a hang guard of minutes: a loaded machine may take a while to send it).
     */
    void answer(String username, String action) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!pending.containsKey(username) && System.nanoTime() < deadline) Thread.sleep(25);
        CompletableFuture<String> f = pending.get(username);
        if (f == null) throw new AssertionError("no pending push for " + username);
        f.complete(action);
    }

    private void handle(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            send(ex, 405, "{\"success\":false,\"error\":\"Method not allowed\"}");
            return;
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(ex.getRequestBody().readAllBytes());
        } catch (Exception e) {
            send(ex, 400, "{\"success\":false,\"error\":\"bad json\",\"errorCode\":\"invalid-json\"}");
            return;
        }
        for (String field : List.of("username", "title", "body")) {
            if (!body.hasNonNull(field)) {
                send(ex, 400, "{\"success\":false,\"error\":\"missing\",\"errorCode\":\"missing-" + field + "\"}");
                return;
            }
        }
        if (!body.path("actions").isArray()) {
            send(ex, 400, "{\"success\":false,\"error\":\"missing\",\"errorCode\":\"missing-actions\"}");
            return;
        }
        requests.add(body);
        String user = body.get("username").asText();
        if (unknownUsers.contains(user)) {
            send(ex, 404, "{\"success\":false,\"error\":\"No devices\",\"errorCode\":\"no-devices\"}");
            return;
        }
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> previous = pending.put(user, mine);
        if (previous != null) previous.complete("timeout"); // the service keeps one pending request per user
        String action;
        try {
            action = mine.get(serviceWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            action = "timeout";
        }
        pending.remove(user, mine);
        answered.add(user);
        send(ex, 200, "{\"success\":true,\"action\":\"" + action + "\",\"message\":\"Notification sent successfully\"}");
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
