package io.proxplane.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ClusterAndStateTest {
    @RegisterExtension
    static PveSimulatorExtension ext = PveSimulatorExtension.with(b -> b.nodes("a", "b").resourcesLag(Duration.ofMillis(600)));

    @Test
    void multipleNodesOfflineNodesAndResourcesLag(PveSimulator injected) {
        PveSimulator sim = ext.simulator();
        assertThat(injected).isSameAs(sim);
        SimClient c = SimClient.root(sim);
        assertThat(c.get("/nodes").data().findValuesAsText("node")).containsExactly("a", "b");
        JsonNode status = c.get("/cluster/status").data();
        assertThat(status.get(0).get("type").asText()).isEqualTo("cluster");
        assertThat(status.get(0).get("nodes").asInt()).isEqualTo(2);

        String upid = c.post("/nodes/b/lxc", "vmid", "500", "ostemplate", LxcLifecycleTest.TEMPLATE, "rootfs", "local-lvm:1",
                "hostname", "lagged").data().asText();
        assertThat(upid).startsWith("UPID:b:");
        assertThat(c.waitTask(upid).get("exitstatus").asText()).isEqualTo("OK");
        JsonNode fresh = c.get("/cluster/resources", "type", "vm").data().get(0);
        assertThat(fresh.get("status").asText()).isEqualTo("unknown");
        assertThat(fresh.has("name")).isFalse();
        assertThat(fresh.has("maxmem")).isFalse();
        assertThat(c.post("/nodes/a/lxc", "vmid", "500", "ostemplate", LxcLifecycleTest.TEMPLATE, "rootfs", "local-lvm:1").reason())
                .isEqualTo("CT 500 already exists on node 'b'");
        assertThat(c.get("/nodes/a/lxc/500/config").reason()).isEqualTo("Configuration file 'nodes/a/lxc/500.conf' does not exist");

        awaitStatus(c, "stopped");
        JsonNode settled = c.get("/cluster/resources", "type", "vm").data().get(0);
        assertThat(settled.get("name").asText()).isEqualTo("lagged");
        assertThat(settled.get("maxmem").asLong()).isEqualTo(512L << 20);

        c.waitTask(c.post("/nodes/b/lxc/500/status/start").data().asText());
        assertThat(c.get("/nodes/b/lxc/500/status/current").data().get("status").asText()).isEqualTo("running");
        assertThat(c.get("/cluster/resources", "type", "vm").data().get(0).get("status").asText()).as("lagging").isEqualTo("stopped");
        awaitStatus(c, "running");

        sim.admin().setNodeOnline("b", false);
        try {
            SimClient.Response down = c.get("/nodes/b/lxc");
            assertThat(down.status()).isEqualTo(595);
            assertThat(down.reason()).startsWith("Errors during connection establishment");
            assertThat(c.get("/nodes").data().get(1).get("status").asText()).isEqualTo("offline");
            assertThat(c.get("/nodes/a/lxc").status()).isEqualTo(200);
        } finally {
            sim.admin().setNodeOnline("b", true);
        }
    }

    private static void awaitStatus(SimClient c, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (c.get("/cluster/resources", "type", "vm").data().get(0).get("status").asText().equals(status)) return;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("resources never showed " + status);
    }

    @Test
    void stateFileRoundTrip(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state.json");
        try (PveSimulator first = PveSimulatorExtension.testDefaults().stateFile(file).build().start()) {
            SimClient c = SimClient.root(first);
            assertThat(c.post("/pools", "poolid", "kept").status()).isEqualTo(200);
            assertThat(c.post("/access/users", "userid", "erin@pve", "password", "erin-password").status()).isEqualTo(200);
            String upid = c.post("/nodes/pve/lxc", "vmid", "600", "ostemplate", LxcLifecycleTest.TEMPLATE, "rootfs", "local-lvm:1",
                    "pool", "kept").data().asText();
            c.waitTask(upid);
        }
        assertThat(Files.readString(file)).contains("\"kept\"");
        try (PveSimulator second = PveSimulatorExtension.testDefaults().stateFile(file).build().start()) {
            SimClient c = SimClient.root(second);
            assertThat(c.get("/nodes/pve/lxc/600/config").data().get("rootfs").asText()).isEqualTo("local-lvm:vm-600-disk-0,size=1G");
            assertThat(c.get("/pools", "poolid", "kept").data().get(0).get("members").get(0).get("vmid").asInt()).isEqualTo(600);
            SimClient.Response login = new SimClient(second.baseUrl()).post("/access/ticket", "username", "erin@pve", "password", "erin-password");
            assertThat(login.status()).isEqualTo(200);
            assertThat(second.stateJson()).contains("erin@pve");
        }
    }

    @Test
    void adminEndpointsOverHttp() {
        PveSimulator sim = ext.simulator();
        SimClient c = SimClient.root(sim);
        assertThat(c.send("GET", "/_sim/state", null, null).body()).contains("\"nodes\"");
        SimClient.Response r = c.send("POST", "/_sim/faults/fail-next",
                "{\"method\":\"GET\",\"pathRegex\":\"/version\",\"times\":1,\"status\":503,\"message\":\"busy\"}", "application/json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(c.get("/version").status()).isEqualTo(503);
        assertThat(c.get("/version").status()).isEqualTo(200);
        assertThat(c.send("DELETE", "/_sim/faults", null, null).status()).isEqualTo(200);
        assertThat(new SimClient(sim.baseUrl()).send("GET", "/_sim/state", null, null).status()).isEqualTo(401);
    }

    @Test
    void eightFourModeOmitsTheMessageMember() {
        try (PveSimulator old = PveSimulatorExtension.testDefaults().pveVersion("8.2.4").build().start()) {
            SimClient.Response r = SimClient.root(old).get("/nodes/pve/lxc/100/config");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.json().has("message")).isFalse();
            assertThat(SimClient.token(old, "root@pam!test", "bad").get("/version").reason()).isEqualTo("invalid token value!");
        }
    }
}
