package io.proxplane.pvesim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A raw HTTPS/1.1 client for the tests: it exposes the status line's reason phrase and the
 * Connection header, which higher-level clients hide. Trusts any certificate (self-signed server).
 */
final class SimClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final String baseUrl;
    private final Map<String, String> headers = new LinkedHashMap<>();

    record Response(int status, String reason, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        JsonNode data() {
            return json().get("data");
        }

        @Override
        public String toString() {
            return status + " " + reason + " " + body;
        }
    }

    SimClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    static SimClient token(PveSimulator sim, String tokenId, String secret) {
        return new SimClient(sim.baseUrl()).header("Authorization", "PVEAPIToken=" + tokenId + "=" + secret);
    }

    static SimClient root(PveSimulator sim) {
        return token(sim, "root@pam!test", "test-secret");
    }

    SimClient header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    Response get(String path, String... query) {
        return send("GET", path + (query.length == 0 ? "" : "?" + form(query)), null, null);
    }

    Response delete(String path, String... query) {
        return send("DELETE", path + (query.length == 0 ? "" : "?" + form(query)), null, null);
    }

    Response post(String path, String... form) {
        return send("POST", path, form(form), "application/x-www-form-urlencoded");
    }

    Response put(String path, String... form) {
        return send("PUT", path, form(form), "application/x-www-form-urlencoded");
    }

    Response postJson(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    static String form(String... kv) {
        StringJoiner j = new StringJoiner("&");
        for (int i = 0; i < kv.length; i += 2) {
            j.add(URLEncoder.encode(kv[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return j.toString();
    }

    Response send(String method, String path, String body, String contentType) {
        String fullPath = path.startsWith("/_sim") || path.startsWith("/api2") ? path : "/api2/json" + path;
        URI uri = URI.create(baseUrl);
        try (SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(20_000);
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder req = new StringBuilder();
            req.append(method).append(' ').append(fullPath).append(" HTTP/1.1\r\n");
            req.append("Host: ").append(uri.getHost()).append("\r\n");
            req.append("Connection: close\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                req.append("Content-Type: ").append(contentType).append("\r\n");
                req.append("Content-Length: ").append(b.length).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.write(b);
            out.flush();
            return parse(s.getInputStream());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }

    private static Response parse(InputStream in) throws Exception {
        byte[] all = in.readAllBytes();
        String text = new String(all, StandardCharsets.UTF_8);
        int headerEnd = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, headerEnd).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            h.put(lines[i].substring(0, c).toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
        }
        return new Response(Integer.parseInt(statusLine[1]), statusLine.length > 2 ? statusLine[2] : "", h,
                text.substring(headerEnd + 4));
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        return ctx;
    }

    /** Polls a task until it stopped; returns the final status object. */
    JsonNode waitTask(String upid) {
        String node = upid.split(":")[1];
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Response r = get("/nodes/" + node + "/tasks/" + URLEncoder.encode(upid, StandardCharsets.UTF_8) + "/status");
            if (r.status() == 200 && r.data().get("status").asText().equals("stopped")) return r.data();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("task did not finish: " + upid);
    }
}
