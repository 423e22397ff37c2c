package io.proxplane.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PveSimulatorExtension.class)
class PoolsAndAccessTest {

    @Test
    void poolLifecycle(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        assertThat(c.post("/pools", "poolid", "dev", "comment", "Developers").status()).isEqualTo(200);
        assertThat(c.post("/pools", "poolid", "dev").reason()).isEqualTo("create pool failed: pool 'dev' already exists");
        assertThat(c.post("/pools", "poolid", "1dev").reason()).isEqualTo("create pool failed: pool name must start with a letter");
        assertThat(c.post("/pools", "poolid", "dev/team/a").status()).isEqualTo(500);
        assertThat(c.post("/pools", "poolid", "dev/team").status()).isEqualTo(200);
        assertThat(c.post("/pools", "poolid", "dev/team/a").status()).isEqualTo(200);
        assertThat(c.post("/pools", "poolid", "dev/team/a/b").status()).isEqualTo(400);
        assertThat(c.post("/pools", "poolid", "other").status()).isEqualTo(200);

        String upid = c.post("/nodes/pve/lxc", "vmid", "400", "ostemplate", LxcLifecycleTest.TEMPLATE, "rootfs", "local-lvm:1",
                "pool", "dev").data().asText();
        assertThat(c.waitTask(upid).get("exitstatus").asText()).isEqualTo("OK");
        JsonNode dev = c.get("/pools", "poolid", "dev").data().get(0);
        assertThat(dev.get("comment").asText()).isEqualTo("Developers");
        assertThat(dev.get("members").get(0).get("id").asText()).isEqualTo("lxc/400");
        JsonNode resource = c.get("/cluster/resources", "type", "vm").data().get(0);
        assertThat(resource.get("pool").asText()).isEqualTo("dev");
        assertThat(c.get("/cluster/resources").data().findValuesAsText("id")).contains("/pool/dev", "/pool/dev/team");

        assertThat(c.put("/pools", "poolid", "other", "vms", "400").reason())
                .isEqualTo("update pools failed: VM 400 belongs already to pool 'dev' and 'allow-move' is not set");
        assertThat(c.put("/pools", "poolid", "dev", "vms", "400").reason()).isEqualTo("update pools failed: VM 400 is already a pool member");
        assertThat(c.put("/pools", "poolid", "other", "vms", "400", "allow-move", "1").status()).isEqualTo(200);
        assertThat(c.get("/pools/other").data().get("members").get(0).get("vmid").asInt()).isEqualTo(400);
        assertThat(c.put("/pools", "poolid", "dev", "vms", "400", "delete", "1").reason())
                .isEqualTo("update pools failed: VM 400 is not a pool member");
        assertThat(c.put("/pools", "poolid", "other", "storage", "local-lvm").status()).isEqualTo(200);
        assertThat(c.delete("/pools", "poolid", "other").reason())
                .isEqualTo("delete pool failed: pool 'other' is not empty (contains VM 400)");
        assertThat(c.put("/pools/other", "vms", "400", "storage", "local-lvm", "delete", "1").status()).isEqualTo(200);
        assertThat(c.delete("/pools", "poolid", "other").status()).isEqualTo(200);
        assertThat(c.get("/pools").data().findValuesAsText("poolid")).containsExactly("dev", "dev/team", "dev/team/a");
        assertThat(c.delete("/pools/nope").reason()).isEqualTo("delete pool failed: pool 'nope' does not exist");
    }

    @Test
    void usersGroupsTokensAndAcl(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        assertThat(c.post("/access/groups", "groupid", "devs", "comment", "Developers").status()).isEqualTo(200);
        assertThat(c.post("/access/groups", "groupid", "devs").reason()).isEqualTo("create group failed: group 'devs' already exists");
        assertThat(c.post("/access/users", "userid", "carol@pve", "password", "short").json().get("errors").has("password")).isTrue();
        assertThat(c.post("/access/users", "userid", "carol@pve", "groups", "nope").reason())
                .isEqualTo("create user failed: no such group 'nope'");
        assertThat(c.post("/access/users", "userid", "carol@pve", "password", "carol-pass", "groups", "devs",
                "email", "carol@example.com", "enable", "1").status()).isEqualTo(200);
        assertThat(c.post("/access/users", "userid", "carol@pve").reason()).isEqualTo("create user failed: user 'carol@pve' already exists");
        assertThat(c.post("/access/users", "userid", "dave@pve").status()).isEqualTo(200);
        assertThat(c.post("/access/groups", "groupid", "ops").status()).isEqualTo(200);
        assertThat(c.put("/access/users/dave@pve", "groups", "devs").status()).isEqualTo(200);
        assertThat(c.put("/access/users/dave@pve", "groups", "ops", "append", "1").status()).isEqualTo(200);
        assertThat(c.put("/access/users/dave@pve", "append", "1").json().get("errors").has("groups")).isTrue();

        JsonNode dave = c.get("/access/users/dave@pve").data();
        assertThat(dave.get("groups")).extracting(JsonNode::asText).containsExactly("devs", "ops");
        assertThat(dave.get("enable").asInt()).isEqualTo(1);
        JsonNode group = c.get("/access/groups/devs").data();
        assertThat(group.get("members")).extracting(JsonNode::asText).containsExactlyInAnyOrder("carol@pve", "dave@pve");
        JsonNode groups = c.get("/access/groups").data();
        assertThat(groups.findValuesAsText("groupid")).containsExactly("devs", "ops");

        SimClient.Response token = c.post("/access/users/carol@pve/token/ci", "privsep", "1", "comment", "CI");
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.data().get("full-tokenid").asText()).isEqualTo("carol@pve!ci");
        assertThat(token.data().get("value").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(token.data().get("info").get("privsep").asInt()).isEqualTo(1);
        SimClient.Response dup = c.post("/access/users/carol@pve/token/ci");
        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.json().get("errors").get("tokenid").asText()).isEqualTo("Token already exists.");
        assertThat(c.get("/access/users/carol@pve/token").data().get(0).get("tokenid").asText()).isEqualTo("ci");
        assertThat(c.get("/access/users/carol@pve/token/nope").reason()).isEqualTo("no such token 'nope' for user 'carol@pve'");
        assertThat(c.put("/access/users/carol@pve/token/ci", "comment", "CI runner").data().get("comment").asText()).isEqualTo("CI runner");

        // The new token works, and as a privsep token it starts without privileges.
        SimClient carolToken = SimClient.token(sim, "carol@pve!ci", token.data().get("value").asText());
        assertThat(carolToken.get("/version").status()).isEqualTo(200);
        assertThat(carolToken.get("/nodes/pve/status").status()).isEqualTo(403);

        assertThat(c.put("/access/acl", "path", "/nodes/pve", "groups", "devs", "roles", "PVEAuditor").status()).isEqualTo(200);
        assertThat(c.put("/access/acl", "path", "/nodes/pve", "tokens", "carol@pve!ci", "roles", "PVEAuditor", "propagate", "0")
                .status()).isEqualTo(200);
        assertThat(carolToken.get("/nodes/pve/status").status()).isEqualTo(200);
        JsonNode acl = c.get("/access/acl").data();
        assertThat(acl).anySatisfy(a -> {
            assertThat(a.get("type").asText()).isEqualTo("token");
            assertThat(a.get("propagate").asInt()).isEqualTo(0);
        });
        assertThat(c.put("/access/acl", "path", "/bogus", "users", "carol@pve", "roles", "PVEAuditor").json().get("errors").get("path")
                .asText()).isEqualTo("invalid ACL path '/bogus'");
        assertThat(c.put("/access/acl", "path", "/", "users", "carol@pve", "roles", "Nope").reason()).isEqualTo("role 'Nope' does not exist");
        assertThat(c.put("/access/acl", "path", "/nodes/pve", "groups", "devs", "roles", "PVEAuditor", "delete", "1").status())
                .isEqualTo(200);
        assertThat(carolToken.get("/nodes/pve/status").status()).isEqualTo(403);

        assertThat(c.delete("/access/users/carol@pve/token/ci").status()).isEqualTo(200);
        assertThat(carolToken.get("/version").status()).isEqualTo(401);
        assertThat(c.delete("/access/groups/ops").status()).isEqualTo(200);
        assertThat(c.get("/access/users/dave@pve").data().get("groups")).extracting(JsonNode::asText).containsExactly("devs");
        assertThat(c.delete("/access/users/dave@pve").status()).isEqualTo(200);
        assertThat(c.get("/access/users/dave@pve").reason()).isEqualTo("no such user ('dave@pve')");
        assertThat(c.get("/access/users", "full", "1").data().findValuesAsText("userid")).contains("root@pam", "carol@pve");
    }

    @Test
    void rolesAndRealmSync(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        JsonNode roles = c.get("/access/roles").data();
        assertThat(roles.findValuesAsText("roleid")).contains("Administrator", "NoAccess", "PVEAdmin", "PVEAuditor", "PVEVMAdmin",
                "PVEVMUser", "PVEPoolAdmin", "PVEPoolUser", "PVEDatastoreUser", "PVEUserAdmin", "PVETemplateUser");
        JsonNode vmUser = c.get("/access/roles/PVEVMUser").data();
        assertThat(vmUser.has("VM.PowerMgmt")).isTrue();
        assertThat(vmUser.has("VM.Allocate")).isFalse();
        JsonNode admin = c.get("/access/roles/PVEAdmin").data();
        assertThat(admin.has("Sys.Modify")).isFalse();
        assertThat(admin.has("Permissions.Modify")).isFalse();
        assertThat(c.get("/access/roles/Administrator").data().has("Permissions.Modify")).isTrue();
        assertThat(c.get("/access/roles/Nope").reason()).isEqualTo("role 'Nope' does not exist");
        assertThat(c.post("/access/domains/pve/sync").reason()).isEqualTo("Cannot sync realm type 'pve'! Only LDAP/AD realms can be synced.");
        assertThat(c.post("/access/domains/corp/sync").reason()).isEqualTo("domain 'corp' does not exist");
    }
}
