package io.proxplane.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The acceptance walk: the standalone jar, started as a newcomer would, driven with
 * plain {@code curl} and an API token through a container's whole life, checking that every
 * answer has the real API's shape.
 */
class StandaloneCurlIT {

    private static final String TOKEN = "PVEAPIToken=root@pam!ci=SECRET";
    private static final String UPID_REGEX =
            "^UPID:([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\\s/]+):([^:\\s/]*):([^:\\s/]+):$";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Process simulator;
    private static int port;
    private static Path log;

    @BeforeAll
    static void startStandaloneJar() throws Exception {
        Path jar = Path.of("target", "pve-simulator.jar").toAbsolutePath();
        assertThat(jar).as("the shaded standalone jar is built in the package phase").exists();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        log = Files.createTempFile("pve-simulator", ".log");
        simulator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--port", Integer.toString(port), "--token", "root@pam!ci=SECRET",
                "--task-duration", "100ms")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertThat(simulator.isAlive()).as("simulator exited: %s", Files.readString(log)).isTrue();
                assertThat(Instant.now()).as("simulator did not listen within 30 s").isBefore(deadline);
                Thread.sleep(100);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (simulator != null) {
            simulator.destroy();
            simulator.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void certificateIsSelfSignedLikeTheRealOne() throws Exception {
        Result r = curl(false, "GET", "/version");
        assertThat(r.exit).as("curl must refuse the self-signed certificate without -k").isEqualTo(60);
    }

    @Test
    void containerLifeCycleWithCurlAndAnApiToken() throws Exception {
        JsonNode version = data(curl(true, "GET", "/version"), 200);
        assertThat(version.path("version").asText()).matches("\\d+\\.\\d+(\\.\\d+)?");
        assertThat(version.has("release")).isTrue();
        assertThat(version.has("repoid")).isTrue();

        JsonNode nextId = data(curl(true, "GET", "/cluster/nextid"), 200);
        assertThat(nextId.isTextual()).as("nextid comes back as a JSON string, as on real PVE").isTrue();
        String vmid = nextId.asText();

        JsonNode storages = data(curl(true, "GET", "/nodes/pve/storage/local/content?content=vztmpl"), 200);
        String template = storages.get(0).path("volid").asText();
        assertThat(template).startsWith("local:vztmpl/debian-12");

        String upid = data(curl(true, "POST", "/nodes/pve/lxc",
                "vmid=" + vmid, "ostemplate=" + template, "hostname=web1", "cores=1", "memory=512",
                "rootfs=local-lvm:8", "net0=name=eth0,bridge=vmbr0,ip=10.20.0.5/24,gw=10.20.0.1",
                "unprivileged=1"), 200).asText();
        assertThat(upid).matches(UPID_REGEX).contains(":vzcreate:" + vmid + ":root@pam!ci:");
        awaitTask(upid, "OK");

        JsonNode config = data(curl(true, "GET", "/nodes/pve/lxc/" + vmid + "/config"), 200);
        assertThat(config.path("digest").asText()).matches("[0-9a-f]{40}");
        assertThat(config.path("hostname").asText()).isEqualTo("web1");
        assertThat(config.path("unprivileged").isInt()).as("booleans are 0/1 integers").isTrue();
        assertThat(config.path("net0").asText())
                .matches("name=eth0,bridge=vmbr0,gw=10\\.20\\.0\\.1,hwaddr=BC:24:11(:[0-9A-F]{2}){3},ip=10\\.20\\.0\\.5/24,type=veth");
        assertThat(config.path("rootfs").asText()).isEqualTo("local-lvm:vm-" + vmid + "-disk-0,size=8G");

        JsonNode stopped = data(curl(true, "GET", "/nodes/pve/lxc/" + vmid + "/interfaces"), 200);
        assertThat(stopped.isNull()).as("interfaces of a stopped CT are null").isTrue();

        awaitTask(data(curl(true, "POST", "/nodes/pve/lxc/" + vmid + "/status/start"), 200).asText(), "OK");
        JsonNode status = data(curl(true, "GET", "/nodes/pve/lxc/" + vmid + "/status/current"), 200);
        assertThat(status.path("status").asText()).isEqualTo("running");

        JsonNode interfaces = data(curl(true, "GET", "/nodes/pve/lxc/" + vmid + "/interfaces"), 200);
        JsonNode eth0 = null;
        for (JsonNode i : interfaces) {
            if (i.path("name").asText().equals("eth0")) {
                eth0 = i;
            }
        }
        assertThat(eth0).as("eth0 in %s", interfaces).isNotNull();
        assertThat(eth0.path("inet").asText()).isEqualTo("10.20.0.5/24");
        assertThat(eth0.path("hwaddr").asText()).isEqualTo(eth0.path("hardware-address").asText())
                .isEqualTo(config.path("net0").asText().replaceAll(".*hwaddr=([^,]+).*", "$1").toLowerCase());
        assertThat(eth0.path("ip-addresses").toString()).contains("\"ip-address\":\"10.20.0.5\"");

        Result running = curl(true, "DELETE", "/nodes/pve/lxc/" + vmid);
        assertThat(running.status).isEqualTo(500);
        assertThat(running.reason).isEqualTo("unable to destroy CT " + vmid + " - container is running");

        awaitTask(data(curl(true, "POST", "/nodes/pve/lxc/" + vmid + "/status/stop"), 200).asText(), "OK");
        assertThat(data(curl(true, "GET", "/nodes/pve/lxc/" + vmid + "/interfaces"), 200).isNull()).isTrue();

        awaitTask(data(curl(true, "DELETE", "/nodes/pve/lxc/" + vmid + "?purge=1"), 200).asText(), "OK");
        Result gone = curl(true, "GET", "/nodes/pve/lxc/" + vmid + "/config");
        assertThat(gone.status).isEqualTo(500);
        assertThat(gone.reason).isEqualTo("Configuration file 'nodes/pve/lxc/" + vmid + ".conf' does not exist");
        assertThat(gone.body.path("data").isNull()).isTrue();
    }

    @Test
    void errorsHaveTheRealShapes() throws Exception {
        Result unknown = curl(true, "GET", "/nodes/pve/nonsense");
        assertThat(unknown.status).isEqualTo(501);
        assertThat(unknown.reason).isEqualTo("Method 'GET /nodes/pve/nonsense' not implemented");

        Result invalid = curl(true, "POST", "/nodes/pve/lxc", "vmid=99", "ostemplate=local:vztmpl/x.tar.zst",
                "net0=bridge=vmbr0", "bogus=1");
        assertThat(invalid.status).isEqualTo(400);
        assertThat(invalid.reason).isEqualTo("Parameter verification failed.");
        assertThat(invalid.body.path("errors").has("vmid")).isTrue();
        assertThat(invalid.body.path("errors").has("net0")).isTrue();
        assertThat(invalid.body.path("errors").path("bogus").asText())
                .startsWith("property is not defined in schema and the schema does not allow additional properties");

        Result badToken = curlWithAuth("PVEAPIToken=root@pam!ci=WRONG", "GET", "/version");
        assertThat(badToken.status).isEqualTo(401);
    }

    private void awaitTask(String upid, String expectedExit) throws Exception {
        String node = upid.split(":")[1];
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            JsonNode status = data(curl(true, "GET", "/nodes/" + node + "/tasks/"
                    + java.net.URLEncoder.encode(upid, StandardCharsets.UTF_8) + "/status"), 200);
            if (status.path("status").asText().equals("stopped")) {
                assertThat(status.path("exitstatus").asText()).isEqualTo(expectedExit);
                return;
            }
            assertThat(status.path("status").asText()).isEqualTo("running");
            Thread.sleep(50);
        }
        throw new AssertionError("task did not finish: " + upid);
    }

    private static JsonNode data(Result r, int expectedStatus) {
        assertThat(r.status).as("HTTP status of %s", r).isEqualTo(expectedStatus);
        assertThat(r.body.has("data")).as("envelope of %s", r).isTrue();
        return r.body.get("data");
    }

    private record Result(int exit, int status, String reason, JsonNode body, String raw) { }

    private static Result curl(boolean insecure, String method, String path, String... form) throws Exception {
        return runCurl(insecure, TOKEN, method, path, form);
    }

    private static Result curlWithAuth(String auth, String method, String path, String... form) throws Exception {
        return runCurl(true, auth, method, path, form);
    }

    private static Result runCurl(boolean insecure, String auth, String method, String path, String... form)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-i", "-X", method,
                "-H", "Authorization: " + auth));
        if (insecure) {
            cmd.add("-k");
        }
        for (String f : form) {
            cmd.add("--data-urlencode");
            cmd.add(f);
        }
        cmd.add("https://127.0.0.1:" + port + "/api2/json" + path);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        if (exit != 0) {
            return new Result(exit, -1, null, null, out);
        }
        int split = out.indexOf("\r\n\r\n");
        String head = out.substring(0, split);
        String statusLine = head.lines().findFirst().orElseThrow();
        String[] parts = statusLine.split(" ", 3);
        String body = out.substring(split + 4);
        return new Result(exit, Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "",
                body.isBlank() ? JSON.nullNode() : JSON.readTree(body), out);
    }
}
