package io.proxplane.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuthTest {
    static final AtomicReference<Instant> NOW = new AtomicReference<>(Instant.now());

    /** A clock the test moves forward to expire tickets. */
    static final Clock CLOCK = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return NOW.get(); }
    };

    @RegisterExtension
    static PveSimulatorExtension ext = PveSimulatorExtension.with(b -> b.user("alice@pve", "alice-pass-1")
            .clock(CLOCK).ticketLifetime(Duration.ofMinutes(30)));

    @BeforeAll
    static void createGuest() {
        PveSimulator sim = ext.simulator();
        SimClient root = SimClient.root(sim);
        String upid = root.post("/nodes/pve/lxc", "vmid", "100", "ostemplate", LxcLifecycleTest.TEMPLATE, "rootfs", "local-lvm:1")
                .data().asText();
        root.waitTask(upid);
        assertThat(root.post("/pools", "poolid", "team").status()).isEqualTo(200);
        upid = root.post("/nodes/pve/lxc", "vmid", "101", "ostemplate", LxcLifecycleTest.TEMPLATE, "rootfs", "local-lvm:1",
                "pool", "team").data().asText();
        root.waitTask(upid);
    }

    private static SimClient login(PveSimulator sim, String user, String password) {
        SimClient.Response r = new SimClient(sim.baseUrl()).post("/access/ticket", "username", user, "password", password);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return new SimClient(sim.baseUrl())
                .header("Cookie", "PVEAuthCookie=" + java.net.URLEncoder.encode(r.data().get("ticket").asText(), java.nio.charset.StandardCharsets.UTF_8))
                .header("CSRFPreventionToken", r.data().get("CSRFPreventionToken").asText());
    }

    @Test
    void ticketLoginCsrfAndRenewal() {
        PveSimulator sim = ext.simulator();
        SimClient anon = new SimClient(sim.baseUrl());
        SimClient.Response r = anon.post("/access/ticket", "username", "alice", "realm", "pve", "password", "alice-pass-1");
        assertThat(r.status()).isEqualTo(200);
        String ticket = r.data().get("ticket").asText();
        assertThat(ticket).matches("PVE:alice@pve:[0-9A-F]{8}::.+");
        assertThat(r.data().get("CSRFPreventionToken").asText()).matches("[0-9A-F]{8}:.+");
        assertThat(r.data().get("username").asText()).isEqualTo("alice@pve");
        assertThat(r.data().has("cap")).isTrue();

        SimClient cookie = new SimClient(sim.baseUrl()).header("Cookie", "PVEAuthCookie=" + ticket);
        assertThat(cookie.get("/version").status()).isEqualTo(200);
        SimClient.Response noCsrf = cookie.post("/pools", "poolid", "x1");
        assertThat(noCsrf.status()).isEqualTo(401);
        assertThat(noCsrf.reason()).isEqualTo("Permission denied - invalid csrf token");
        SimClient header = new SimClient(sim.baseUrl()).header("Authorization", "PVEAuthCookie=" + ticket)
                .header("CSRFPreventionToken", r.data().get("CSRFPreventionToken").asText());
        SimClient.Response forbidden = header.post("/pools", "poolid", "x1");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.reason()).isEqualTo("Permission check failed (/pool/x1, Pool.Allocate)");

        SimClient.Response wrong = anon.post("/access/ticket", "username", "alice@pve", "password", "nope-nope");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.reason()).isEqualTo("authentication failure");

        SimClient.Response renewed = anon.post("/access/ticket", "username", "alice@pve", "password", ticket);
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.data().get("ticket").asText()).startsWith("PVE:alice@pve:");
    }

    @Test
    void ticketsExpire() {
        PveSimulator sim = ext.simulator();
        SimClient alice = login(sim, "alice@pve", "alice-pass-1");
        assertThat(alice.get("/version").status()).isEqualTo(200);
        NOW.set(NOW.get().plus(Duration.ofMinutes(31)));
        try {
            SimClient.Response r = alice.get("/version");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.reason()).isEqualTo("Authentication failed!");
        } finally {
            NOW.set(Instant.now());
        }
    }

    @Test
    void permissionsFollowAclsPoolsAndPrivsep() {
        PveSimulator sim = ext.simulator();
        SimulatorAdmin admin = sim.admin();
        admin.createUser("bob@pve", "bob-pass-12");
        admin.createToken("bob@pve!ops", "ops-secret", true);
        admin.createToken("bob@pve!full", "full-secret", false);
        SimClient full = SimClient.token(sim, "bob@pve!full", "full-secret");
        SimClient ops = SimClient.token(sim, "bob@pve!ops", "ops-secret");

        // No ACL: 403 for existing and missing guests alike, lists are filtered.
        assertThat(full.get("/nodes/pve/lxc/100/config").reason()).isEqualTo("Permission check failed (/vms/100, VM.Audit)");
        assertThat(full.get("/nodes/pve/lxc/555/config").reason()).isEqualTo("Permission check failed (/vms/555, VM.Audit)");
        assertThat(full.get("/cluster/resources", "type", "vm").data()).isEmpty();
        assertThat(full.get("/nodes/pve/lxc").data()).isEmpty();

        // Pool ACL covers the pool's member guests only.
        admin.setAcl("/pool/team", "user", "bob@pve", "PVEVMAdmin", true);
        assertThat(full.get("/nodes/pve/lxc/101/config").status()).isEqualTo(200);
        assertThat(full.get("/nodes/pve/lxc/100/config").status()).isEqualTo(403);
        assertThat(full.get("/nodes/pve/lxc").data().findValuesAsText("vmid")).containsExactly("101");

        // privsep token: intersection of user and token ACLs (empty at first).
        assertThat(ops.get("/nodes/pve/lxc/101/config").status()).isEqualTo(403);
        admin.setAcl("/vms", "token", "bob@pve!ops", "PVEAuditor", true);
        assertThat(ops.get("/nodes/pve/lxc/101/config").status()).isEqualTo(200);
        assertThat(ops.get("/nodes/pve/lxc/100/config").status()).as("user has nothing on /vms/100").isEqualTo(403);
        SimClient.Response put = ops.put("/nodes/pve/lxc/101/config", "cores", "2");
        assertThat(put.status()).isEqualTo(403);
        assertThat(put.reason()).isEqualTo(
                "Permission check failed (/vms/101, VM.Config.Disk|VM.Config.CPU|VM.Config.Memory|VM.Config.Network|VM.Config.Options)");

        // Group ACL, overridden by a user ACL on the same path; NoAccess cancels.
        SimClient root = SimClient.root(sim);
        assertThat(root.post("/access/groups", "groupid", "ops").status()).isEqualTo(200);
        assertThat(root.put("/access/users/bob@pve", "groups", "ops").status()).isEqualTo(200);
        assertThat(root.put("/access/acl", "path", "/vms/100", "groups", "ops", "roles", "PVEVMUser").status()).isEqualTo(200);
        assertThat(full.get("/nodes/pve/lxc/100/config").status()).isEqualTo(200);
        assertThat(root.put("/access/acl", "path", "/vms/100", "users", "bob@pve", "roles", "NoAccess").status()).isEqualTo(200);
        assertThat(full.get("/nodes/pve/lxc/100/config").status()).isEqualTo(403);

        JsonNode perms = full.get("/access/permissions", "path", "/vms/101").data();
        assertThat(perms.get("/vms/101").get("VM.Allocate").asInt()).isEqualTo(1);
    }
}
