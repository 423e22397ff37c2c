package io.proxplane.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PveSimulatorExtension.class)
class LxcLifecycleTest {
    static final String TEMPLATE = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";

    @Test
    void createStartInterfacesStopDelete(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        SimClient.Response created = c.post("/nodes/pve/lxc", "vmid", "200", "ostemplate", TEMPLATE, "hostname", "web1",
                "rootfs", "local-lvm:8", "net0", "name=eth0,bridge=vmbr0,ip=dhcp", "tags", "Web;prod,web", "start", "0");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        String upid = created.data().asText();
        assertThat(upid).matches("UPID:pve:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:vzcreate:200:root@pam!test:");
        JsonNode done = c.waitTask(upid);
        assertThat(done.get("exitstatus").asText()).isEqualTo("OK");
        assertThat(done.get("user").asText()).isEqualTo("root@pam");
        assertThat(done.get("tokenid").asText()).isEqualTo("test");

        JsonNode cfg = c.get("/nodes/pve/lxc/200/config").data();
        assertThat(cfg.get("hostname").asText()).isEqualTo("web1");
        assertThat(cfg.get("rootfs").asText()).isEqualTo("local-lvm:vm-200-disk-0,size=8G");
        assertThat(cfg.get("net0").asText()).matches("name=eth0,bridge=vmbr0,hwaddr=BC:24:11:[0-9A-F:]{8},ip=dhcp,type=veth");
        assertThat(cfg.get("tags").asText()).isEqualTo("prod;web");
        assertThat(cfg.get("memory").isInt()).isTrue();
        assertThat(cfg.get("memory").asInt()).isEqualTo(512);
        assertThat(cfg.get("unprivileged").asInt()).isEqualTo(1);
        assertThat(cfg.get("digest").asText()).matches("[0-9a-f]{40}");
        assertThat(cfg.has("lock")).isFalse();

        assertThat(c.get("/nodes/pve/lxc/200/interfaces").data().isNull()).isTrue();
        String start = c.post("/nodes/pve/lxc/200/status/start").data().asText();
        assertThat(c.waitTask(start).get("exitstatus").asText()).isEqualTo("OK");
        assertThat(c.get("/nodes/pve/lxc/200/status/current").data().get("status").asText()).isEqualTo("running");

        SimClient.Response again = c.post("/nodes/pve/lxc/200/status/start");
        assertThat(again.status()).isEqualTo(500);
        assertThat(again.reason()).isEqualTo("CT 200 already running");

        JsonNode ifaces = c.get("/nodes/pve/lxc/200/interfaces").data();
        assertThat(ifaces).hasSize(2);
        assertThat(ifaces.get(0).get("name").asText()).isEqualTo("lo");
        JsonNode eth0 = ifaces.get(1);
        String mac = cfg.get("net0").asText().replaceAll(".*hwaddr=([^,]+),.*", "$1").toLowerCase();
        assertThat(eth0.get("hwaddr").asText()).isEqualTo(mac);
        assertThat(eth0.get("inet").asText()).endsWith("/24");
        assertThat(eth0.get("ip-addresses").get(0).get("ip-address-type").asText()).isEqualTo("inet");

        SimClient.Response running = c.delete("/nodes/pve/lxc/200");
        assertThat(running.status()).isEqualTo(500);
        assertThat(running.reason()).isEqualTo("unable to destroy CT 200 - container is running");

        String stop = c.post("/nodes/pve/lxc/200/status/stop").data().asText();
        assertThat(c.waitTask(stop).get("exitstatus").asText()).isEqualTo("OK");
        SimClient.Response notRunning = c.post("/nodes/pve/lxc/200/status/shutdown");
        assertThat(notRunning.reason()).isEqualTo("CT 200 not running");
        assertThat(c.post("/nodes/pve/lxc/200/status/reboot").reason()).isEqualTo("VM 200 not running");

        String del = c.delete("/nodes/pve/lxc/200").data().asText();
        JsonNode delDone = c.waitTask(del);
        assertThat(delDone.get("exitstatus").asText()).isEqualTo("OK");
        SimClient.Response gone = c.get("/nodes/pve/lxc/200/config");
        assertThat(gone.status()).isEqualTo(500);
        assertThat(gone.json().get("message").asText()).isEqualTo("Configuration file 'nodes/pve/lxc/200.conf' does not exist\n");
        assertThat(c.get("/nodes/pve/storage/local-lvm/content").data()).isEmpty();

        JsonNode log = c.get("/nodes/pve/tasks/" + java.net.URLEncoder.encode(del, java.nio.charset.StandardCharsets.UTF_8) + "/log").json();
        JsonNode lines = log.get("data");
        assertThat(lines.get(lines.size() - 1).get("t").asText()).isEqualTo("TASK OK");
        assertThat(log.get("total").asInt()).isEqualTo(lines.size());
    }
}
