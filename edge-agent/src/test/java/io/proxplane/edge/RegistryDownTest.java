package io.proxplane.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.core.registry.ContainerAddresses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An edge host that boots while PostgreSQL is down: the agent starts nginx on the last good
 * configuration instead of exiting, and /readyz says why it is not ready.
 */
class RegistryDownTest {
    @TempDir
    static Path dir;
    static EdgeTestEnv env;

    @BeforeAll
    static void lastGoodConfiguration() throws Exception {
        env = new EdgeTestEnv(dir);
        ContainerAddresses app = env.container("app");
        env.httpService(app.containerId(), "home", "home", env.backend(app.ipv4(), "app"));
        try (EdgeAgent agent = EdgeAgent.start(env.agentConfig("first"), env.registry)) {
            EdgeTestEnv.await("the first agent to serve home", Duration.ofMinutes(2), () -> env.get("home").status() == 200);
        }
        // the host reboots: nothing runs any more
        env.stopEdgeProcesses();
        EdgeTestEnv.await("nginx to be gone", Duration.ofMinutes(2), () -> env.get("home").status() == -1);
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void anAgentStartedWhileTheRegistryIsDownServesItsLastGoodConfiguration() throws Exception {
        int deadPort = EdgeTestEnv.freeTcpPort(); // nothing listens there
        AgentConfig config = env.agentConfig("second", "--registry-url=jdbc:postgresql://127.0.0.1:" + deadPort + "/none",
                "--http-listen=127.0.0.1:0");
        try (Main.Running running = Main.start(config)) {
            EdgeTestEnv.await("nginx to serve the last good configuration", Duration.ofMinutes(2),
                    () -> env.get("home").status() == 200);
            HttpClient http = HttpClient.newHttpClient();
            EdgeTestEnv.await("/readyz to name the registry", Duration.ofMinutes(2), () -> {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.health.port()
                            + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 503 && r.body().contains("registry unreachable")
                            && r.body().contains("serving the last good configuration");
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(running.agent.get()).isNull();
        }
    }
}
