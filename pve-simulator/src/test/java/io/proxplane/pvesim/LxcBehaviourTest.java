package io.proxplane.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PveSimulatorExtension.class)
class LxcBehaviourTest {
    static final String TEMPLATE = LxcLifecycleTest.TEMPLATE;

    static String create(SimClient c, int vmid, String... extra) {
        String[] args = new String[6 + extra.length];
        System.arraycopy(new String[] {"vmid", Integer.toString(vmid), "ostemplate", TEMPLATE, "rootfs", "local-lvm:1"}, 0, args, 0, 6);
        System.arraycopy(extra, 0, args, 6, extra.length);
        SimClient.Response r = c.post("/nodes/pve/lxc", args);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.data().asText();
    }

    static String enc(String upid) {
        return URLEncoder.encode(upid, StandardCharsets.UTF_8);
    }

    @AfterEach
    void clearFaults(PveSimulator sim) {
        sim.faults().clear();
    }

    @Test
    void racingCreatesOfTheSameVmidOneWins(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        List<CompletableFuture<SimClient.Response>> all = List.of(
                CompletableFuture.supplyAsync(() -> c.post("/nodes/pve/lxc", "vmid", "300", "ostemplate", TEMPLATE, "rootfs", "local-lvm:1")),
                CompletableFuture.supplyAsync(() -> c.post("/nodes/pve/lxc", "vmid", "300", "ostemplate", TEMPLATE, "rootfs", "local-lvm:1")));
        List<SimClient.Response> results = all.stream().map(CompletableFuture::join).toList();
        assertThat(results).extracting(SimClient.Response::status).containsExactlyInAnyOrder(200, 500);
        SimClient.Response loser = results.stream().filter(r -> r.status() == 500).findFirst().orElseThrow();
        assertThat(loser.reason()).isEqualTo("CT 300 already exists on node 'pve'");
        // While the create task runs the config carries lock: create and the guest shows up as unknown.
        SimClient.Response winner = results.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
        assertThat(c.waitTask(winner.data().asText()).get("exitstatus").asText()).isEqualTo("OK");
    }

    @Test
    void persistedLockBlocksUntilUnlock(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        c.waitTask(create(c, 310));
        sim.faults().holdLock(310, "backup");
        assertThat(c.get("/nodes/pve/lxc/310/config").data().get("lock").asText()).isEqualTo("backup");
        SimClient.Response put = c.put("/nodes/pve/lxc/310/config", "cores", "2");
        assertThat(put.status()).isEqualTo(500);
        assertThat(put.reason()).isEqualTo("CT is locked (backup)");
        String start = c.post("/nodes/pve/lxc/310/status/start").data().asText();
        JsonNode st = c.waitTask(start);
        assertThat(st.get("exitstatus").asText()).isEqualTo("CT is locked (backup)");
        JsonNode log = c.get("/nodes/pve/tasks/" + enc(start) + "/log").data();
        assertThat(log.get(log.size() - 1).get("t").asText()).isEqualTo("TASK ERROR: CT is locked (backup)");
        assertThat(c.delete("/nodes/pve/lxc/310").reason()).isEqualTo("CT is locked (backup)");
        sim.admin().unlock(310);
        assertThat(c.put("/nodes/pve/lxc/310/config", "cores", "2").status()).isEqualTo(200);
    }

    @Test
    void flockTimeoutsSyncAndInTask(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        c.waitTask(create(c, 320));
        sim.faults().holdFlock(320, Duration.ofSeconds(2));
        SimClient.Response put = c.put("/nodes/pve/lxc/320/config", "cores", "2");
        assertThat(put.status()).isEqualTo(500);
        assertThat(put.reason()).isEqualTo("can't lock file '/run/lock/lxc/pve-config-320.lock' - got timeout");
        String start = c.post("/nodes/pve/lxc/320/status/start").data().asText();
        assertThat(c.waitTask(start).get("exitstatus").asText())
                .isEqualTo("can't lock file '/run/lock/lxc/pve-config-320.lock' - got timeout");
        JsonNode log = c.get("/nodes/pve/tasks/" + enc(start) + "/log").data();
        assertThat(log.get(0).get("t").asText()).isEqualTo("trying to acquire lock...");
    }

    @Test
    void digestDeleteAndReadOnlyOptions(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        c.waitTask(create(c, 330, "description", "hello"));
        String digest = c.get("/nodes/pve/lxc/330/config").data().get("digest").asText();
        assertThat(c.put("/nodes/pve/lxc/330/config", "cores", "2", "digest", digest).status()).isEqualTo(200);
        assertThat(c.put("/nodes/pve/lxc/330/config", "cores", "3", "digest", digest).reason())
                .isEqualTo("detected modified configuration - file changed by other user? Try again.");
        assertThat(c.put("/nodes/pve/lxc/330/config", "delete", "memory").reason()).isEqualTo("unable to delete required option 'memory'");
        assertThat(c.put("/nodes/pve/lxc/330/config", "unprivileged", "0").reason())
                .isEqualTo("unable to modify read-only option: 'unprivileged'");
        SimClient.Response unknown = c.put("/nodes/pve/lxc/330/config", "delete", "foo");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(c.put("/nodes/pve/lxc/330/config", "pool", "x").json().get("errors").has("pool")).isTrue();
        assertThat(c.put("/nodes/pve/lxc/330/config", "delete", "description").status()).isEqualTo(200);
        JsonNode cfg = c.get("/nodes/pve/lxc/330/config").data();
        assertThat(cfg.has("description")).isFalse();
        assertThat(cfg.get("cores").asInt()).isEqualTo(2);
        assertThat(c.put("/nodes/pve/lxc/330/config").reason()).isEqualTo("no options specified");
        assertThat(c.put("/nodes/pve/lxc/330/config", "net0", "name=eth0,bridge=vmbr0,ip=10.0.0.5/24,gw=10.0.0.1").status())
                .isEqualTo(200);
        String net0 = c.get("/nodes/pve/lxc/330/config").data().get("net0").asText();
        assertThat(net0).matches("name=eth0,bridge=vmbr0,gw=10.0.0.1,hwaddr=BC:24:11:[0-9A-F:]{8},ip=10.0.0.5/24,type=veth");
        // An update of the NIC keeps its MAC address.
        c.put("/nodes/pve/lxc/330/config", "net0", "name=eth0,bridge=vmbr0,ip=dhcp");
        String mac = net0.replaceAll(".*hwaddr=([^,]+),.*", "$1");
        assertThat(c.get("/nodes/pve/lxc/330/config").data().get("net0").asText()).contains("hwaddr=" + mac);
    }

    @Test
    void pendingChangesOfARunningContainerApplyOnReboot(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        c.waitTask(create(c, 340, "net0", "name=eth0,bridge=vmbr0,ip=192.168.1.40/24", "start", "1"));
        assertThat(c.get("/nodes/pve/lxc/340/status/current").data().get("status").asText()).isEqualTo("running");
        assertThat(c.put("/nodes/pve/lxc/340/config", "ostype", "ubuntu", "cores", "4").status()).isEqualTo(200);
        JsonNode cfg = c.get("/nodes/pve/lxc/340/config").data();
        assertThat(cfg.get("ostype").asText()).isEqualTo("ubuntu");
        assertThat(c.get("/nodes/pve/lxc/340/config", "current", "1").data().get("ostype").asText()).isEqualTo("debian");
        JsonNode pending = c.get("/nodes/pve/lxc/340/pending").data();
        JsonNode ostype = null;
        for (JsonNode p : pending) if (p.get("key").asText().equals("ostype")) ostype = p;
        assertThat(ostype.get("value").asText()).isEqualTo("debian");
        assertThat(ostype.get("pending").asText()).isEqualTo("ubuntu");
        assertThat(c.get("/nodes/pve/lxc/340/config", "current", "1").data().get("cores").asInt()).isEqualTo(4);
        JsonNode eth0 = c.get("/nodes/pve/lxc/340/interfaces").data().get(1);
        assertThat(eth0.get("inet").asText()).isEqualTo("192.168.1.40/24");
        assertThat(c.waitTask(c.post("/nodes/pve/lxc/340/status/reboot").data().asText()).get("exitstatus").asText()).isEqualTo("OK");
        assertThat(c.get("/nodes/pve/lxc/340/config", "current", "1").data().get("ostype").asText()).isEqualTo("ubuntu");
        String force = c.delete("/nodes/pve/lxc/340", "force", "1").data().asText();
        assertThat(c.waitTask(force).get("exitstatus").asText()).isEqualTo("OK");
    }

    @Test
    void resizeGrowsOnly(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        c.waitTask(create(c, 350));
        assertThat(c.put("/nodes/pve/lxc/350/resize", "disk", "rootfs", "size", "512M").reason()).isEqualTo("unable to shrink disk size");
        assertThat(c.put("/nodes/pve/lxc/350/resize", "disk", "rootfs", "size", "1G").reason()).isEqualTo("disk is already at specified size");
        String upid = c.put("/nodes/pve/lxc/350/resize", "disk", "rootfs", "size", "+2G").data().asText();
        assertThat(c.waitTask(upid).get("exitstatus").asText()).isEqualTo("OK");
        assertThat(c.get("/nodes/pve/lxc/350/config").data().get("rootfs").asText()).isEqualTo("local-lvm:vm-350-disk-0,size=3G");
        JsonNode vol = c.get("/nodes/pve/storage/local-lvm/content", "vmid", "350").data().get(0);
        assertThat(vol.get("size").asLong()).isEqualTo(3L << 30);
    }

    @Test
    void failedCreateIsRolledBack(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        sim.faults().failTask("vzcreate", 360, "extracting archive failed");
        JsonNode st = c.waitTask(create(c, 360, "rootfs", "local-lvm:1"));
        assertThat(st.get("exitstatus").asText()).isEqualTo("extracting archive failed");
        assertThat(c.get("/nodes/pve/lxc/360/config").status()).isEqualTo(500);
        assertThat(c.get("/nodes/pve/storage/local-lvm/content", "vmid", "360").data()).isEmpty();
        assertThat(c.get("/cluster/nextid", "vmid", "360").data().asText()).isEqualTo("360");
    }

    @Test
    void taskFaults(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        c.waitTask(create(c, 370));
        sim.faults().warnTask("vzstart", 370, "something odd");
        String start = c.post("/nodes/pve/lxc/370/status/start").data().asText();
        assertThat(c.waitTask(start).get("exitstatus").asText()).isEqualTo("WARNINGS: 1");

        sim.faults().hangTask("vzstop", 370);
        String stop = c.post("/nodes/pve/lxc/370/status/stop").data().asText();
        SimClient.Response running = c.get("/nodes/pve/tasks/" + enc(stop) + "/status");
        assertThat(running.data().get("status").asText()).isEqualTo("running");
        assertThat(running.data().has("exitstatus")).isFalse();
        assertThat(c.get("/nodes/pve/tasks", "source", "active").data().findValuesAsText("upid")).contains(stop);
        assertThat(c.delete("/nodes/pve/tasks/" + enc(stop)).status()).isEqualTo(200);
        assertThat(c.waitTask(stop).get("exitstatus").asText()).isEqualTo("unexpected status");
        assertThat(c.get("/nodes/pve/lxc/370/status/current").data().get("status").asText()).isEqualTo("running");

        sim.faults().hideNewTasks(2);
        String stop2 = c.post("/nodes/pve/lxc/370/status/stop").data().asText();
        SimClient.Response hidden = c.get("/nodes/pve/tasks/" + enc(stop2) + "/status");
        assertThat(hidden.status()).isEqualTo(400);
        assertThat(hidden.json().get("errors").get("upid").asText()).isEqualTo("no such task");
        assertThat(c.get("/nodes/pve/tasks/" + enc(stop2) + "/status").status()).isEqualTo(400);
        assertThat(c.waitTask(stop2).get("exitstatus").asText()).isEqualTo("OK");
        assertThat(c.get("/nodes/pve/tasks/UPID:garbage/status").json().get("errors").get("upid").asText())
                .startsWith("unable to parse worker upid");

        assertThat(c.get("/cluster/tasks").data().findValuesAsText("upid")).contains(start, stop, stop2);
        assertThat(c.get("/nodes/pve/tasks", "typefilter", "vzstart").data().findValuesAsText("upid")).contains(start);
    }

    @Test
    void requestFaultsAndLatency(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        sim.faults().failNext("GET", "/cluster/resources", 2, 596, "Connection timed out");
        SimClient.Response r = c.get("/cluster/resources");
        assertThat(r.status()).isEqualTo(596);
        assertThat(r.reason()).isEqualTo("Connection timed out");
        assertThat(r.json().get("message").asText()).isEqualTo("Connection timed out\n");
        assertThat(c.get("/cluster/resources").status()).isEqualTo(596);
        assertThat(c.get("/cluster/resources").status()).isEqualTo(200);
        sim.faults().latency("GET", "/version", Duration.ofMillis(300));
        long t0 = System.nanoTime();
        assertThat(c.get("/version").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void protectionBlocksDestroy(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        c.waitTask(create(c, 380, "protection", "1"));
        assertThat(c.delete("/nodes/pve/lxc/380").reason()).isEqualTo("can't remove CT 380 - protection mode enabled");
        c.put("/nodes/pve/lxc/380/config", "protection", "0");
        sim.admin().setAcl("/vms/380", "user", "root@pam", "PVEAuditor", true);
        assertThat(c.waitTask(c.delete("/nodes/pve/lxc/380").data().asText()).get("exitstatus").asText()).isEqualTo("OK");
        assertThat(c.get("/access/acl").data().findValuesAsText("path")).doesNotContain("/vms/380");
    }
}
