package io.proxplane.pvesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PveSimulatorExtension.class)
class ApiBasicsTest {
    static final String TEMPLATE = LxcLifecycleTest.TEMPLATE;

    @Test
    void envelopeAndHeaders(PveSimulator sim) {
        SimClient.Response r = SimClient.root(sim).get("/version");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("content-type")).isEqualTo("application/json;charset=UTF-8");
        assertThat(r.headers().get("server")).isEqualTo("pve-api-daemon/3.0");
        assertThat(r.data().get("version").asText()).isEqualTo("9.1.5");
        assertThat(r.data().get("release").asText()).isEqualTo("9.1");
        assertThat(sim.certificateFingerprintSha256()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(sim.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void unknownPathsAndMethodsAre501(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        SimClient.Response r = c.get("/nodes/pve/foo");
        assertThat(r.status()).isEqualTo(501);
        assertThat(r.reason()).isEqualTo("Method 'GET /nodes/pve/foo' not implemented");
        assertThat(r.json().get("message").asText()).isEqualTo("Method 'GET /nodes/pve/foo' not implemented\n");
        assertThat(r.json().get("data").isNull()).isTrue();
        assertThat(r.headers().get("connection")).isEqualTo("close");
        assertThat(c.post("/version").status()).isEqualTo(501);
        SimClient.Response body = c.send("GET", "/version", "a=b", "application/x-www-form-urlencoded");
        assertThat(body.status()).isEqualTo(501);
        assertThat(body.reason()).isEqualTo("Unexpected content for method 'GET'");
    }

    @Test
    void authenticationComesBeforeLookup(PveSimulator sim) {
        SimClient anonymous = new SimClient(sim.baseUrl());
        SimClient.Response r = anonymous.get("/nodes/pve/foo");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.reason()).isEqualTo("No ticket");
        SimClient.Response bad = SimClient.token(sim, "root@pam!test", "wrong").get("/version");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.reason()).isEqualTo("Authentication failed!");
        // The space form of the token header is accepted too.
        SimClient space = new SimClient(sim.baseUrl()).header("Authorization", "PVEAPIToken root@pam!test=test-secret");
        assertThat(space.get("/version").status()).isEqualTo(200);
        // Domains need no authentication.
        JsonNode domains = anonymous.get("/access/domains").data();
        assertThat(domains.findValuesAsText("realm")).contains("pam", "pve");
    }

    @Test
    void missingObjectsAre500WithExactTexts(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        SimClient.Response r = c.get("/nodes/pve/lxc/999/config");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.reason()).isEqualTo("Configuration file 'nodes/pve/lxc/999.conf' does not exist");
        assertThat(c.get("/access/users/x@pve").reason()).isEqualTo("no such user ('x@pve')");
        assertThat(c.get("/pools", "poolid", "nope").reason()).isEqualTo("pool 'nope' does not exist");
        assertThat(c.get("/access/groups/nope").reason()).isEqualTo("group 'nope' does not exist");
        SimClient.Response node = c.get("/nodes/ghost/lxc");
        assertThat(node.status()).isEqualTo(500);
        assertThat(node.reason()).startsWith("hostname lookup 'ghost' failed");
    }

    @Test
    void validationMessages(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        SimClient.Response r = c.post("/nodes/pve/lxc", "vmid", "99", "ostemplate", TEMPLATE, "bogus", "1", "onboot", "true",
                "net0", "bridge=vmbr0", "net1", "eth0", "hostname", "bad_name!");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.reason()).isEqualTo("Parameter verification failed.");
        JsonNode errors = r.json().get("errors");
        assertThat(r.json().get("message").asText()).isEqualTo("Parameter verification failed.\n");
        assertThat(errors.get("vmid").asText()).isEqualTo("value must have a minimum value of 100");
        assertThat(errors.get("bogus").asText())
                .isEqualTo("property is not defined in schema and the schema does not allow additional properties");
        assertThat(errors.get("onboot").asText()).isEqualTo("type check ('boolean') failed - got 'true'");
        assertThat(errors.get("net0").asText()).startsWith("invalid format - format error")
                .contains("net0.name: property is missing and it is not optional");
        assertThat(errors.get("net1").asText()).isEqualTo("invalid format - missing key in comma-separated list property\n");
        assertThat(errors.get("hostname").asText()).startsWith("invalid format - ");

        SimClient.Response missing = c.post("/nodes/pve/lxc", "vmid", "abc");
        assertThat(missing.json().get("errors").get("ostemplate").asText()).isEqualTo("property is missing and it is not optional");
        assertThat(missing.json().get("errors").get("vmid").asText()).isEqualTo("type check ('integer') failed - got 'abc'");

        SimClient.Response net32 = c.post("/nodes/pve/lxc", "vmid", "150", "ostemplate", TEMPLATE, "net32", "name=eth0");
        assertThat(net32.json().get("errors").has("net32")).isTrue();
        SimClient.Response mac = c.post("/nodes/pve/lxc", "vmid", "150", "ostemplate", TEMPLATE,
                "net0", "name=eth0,hwaddr=01:00:00:00:00:01");
        assertThat(mac.json().get("errors").get("net0").asText()).contains("net0.hwaddr: invalid format - ");
        SimClient.Response en = c.get("/cluster/resources", "type", "pool");
        assertThat(en.json().get("errors").get("type").asText())
                .isEqualTo("value 'pool' does not have a value in the enumeration 'vm, storage, node, sdn'");
    }

    @Test
    void jsonBodiesAndPathConflicts(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        SimClient.Response r = c.postJson("/nodes/pve/lxc", "{\"vmid\":120,\"ostemplate\":\"" + TEMPLATE
                + "\",\"rootfs\":\"local-lvm:2\",\"unprivileged\":true}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(c.waitTask(r.data().asText()).get("exitstatus").asText()).isEqualTo("OK");
        SimClient.Response conflict = c.put("/nodes/pve/lxc/120/config", "vmid", "121", "cores", "2");
        assertThat(conflict.status()).isEqualTo(400);
        assertThat(conflict.json().get("errors").get("vmid").asText())
                .isEqualTo("duplicate parameter (already defined in URI) with conflicting values!");
        assertThat(c.put("/nodes/pve/lxc/120/config", "vmid", "120", "cores", "2").status()).isEqualTo(200);
    }

    @Test
    void nextidIsAStringAndAPureRead(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        SimClient.Response r = c.get("/cluster/nextid");
        assertThat(r.data().isTextual()).isTrue();
        String id = r.data().asText();
        assertThat(c.get("/cluster/nextid").data().asText()).isEqualTo(id);
        String upid = c.post("/nodes/pve/lxc", "vmid", id, "ostemplate", TEMPLATE, "rootfs", "local-lvm:1").data().asText();
        SimClient.Response taken = c.get("/cluster/nextid", "vmid", id);
        assertThat(taken.status()).isEqualTo(400);
        assertThat(taken.json().get("errors").get("vmid").asText()).isEqualTo("VM " + id + " already exists");
        assertThat(c.get("/cluster/nextid", "vmid", "4321").data().asText()).isEqualTo("4321");
        c.waitTask(upid);
    }

    @Test
    void tokensCannotUseTicketOnlyMethods(PveSimulator sim) {
        SimClient.Response r = SimClient.root(sim).put("/access/password", "userid", "root@pam", "password", "12345678");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.reason()).isEqualTo("URI '/access/password' not available with API token, need proper ticket.");
    }

    @Test
    void nodesStorageAndClusterStatus(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        JsonNode nodes = c.get("/nodes").data();
        assertThat(nodes.get(0).get("node").asText()).isEqualTo("pve");
        assertThat(nodes.get(0).get("ssl_fingerprint").asText()).isEqualTo(sim.certificateFingerprintSha256());
        assertThat(c.get("/nodes/pve/status").data().get("pveversion").asText()).startsWith("pve-manager/9.1.5/");
        JsonNode storages = c.get("/nodes/pve/storage").data();
        assertThat(storages.findValuesAsText("storage")).containsExactly("local", "local-lvm");
        assertThat(storages.get(0).get("active").asInt()).isEqualTo(1);
        JsonNode rootdir = c.get("/nodes/pve/storage", "content", "rootdir").data();
        assertThat(rootdir.findValuesAsText("storage")).containsExactly("local-lvm");
        JsonNode content = c.get("/nodes/pve/storage/local/content", "content", "vztmpl").data();
        assertThat(content.get(0).get("volid").asText()).isEqualTo(TEMPLATE);
        assertThat(content.get(0).get("format").asText()).isEqualTo("tzst");
        JsonNode info = c.get("/nodes/pve/storage/local/content/" + TEMPLATE).data();
        assertThat(info.get("format").asText()).isEqualTo("tzst");
        assertThat(c.get("/nodes/pve/storage/local/status").data().get("type").asText()).isEqualTo("dir");
        JsonNode status = c.get("/cluster/status").data();
        assertThat(status.get(0).get("type").asText()).isEqualTo("node");
        JsonNode resources = c.get("/cluster/resources", "type", "storage").data();
        assertThat(resources.findValuesAsText("id")).contains("storage/pve/local", "storage/pve/local-lvm");
        assertThat(c.get("/storage").data().findValuesAsText("storage")).containsExactly("local", "local-lvm");
    }

    @Test
    void ociPullCreatesATemplateOnce(PveSimulator sim) {
        SimClient c = SimClient.root(sim);
        JsonNode tags = c.get("/nodes/pve/query-oci-repo-tags", "reference", "docker.io/library/nginx").data();
        assertThat(tags).isNotEmpty();
        String upid = c.post("/nodes/pve/storage/local/oci-registry-pull", "reference", "docker.io/library/nginx:latest").data().asText();
        assertThat(upid).contains(":ociregistrypull:");
        assertThat(c.waitTask(upid).get("exitstatus").asText()).isEqualTo("OK");
        JsonNode content = c.get("/nodes/pve/storage/local/content", "content", "vztmpl").data();
        assertThat(content.findValuesAsText("volid")).contains("local:vztmpl/nginx_latest.tar");
        SimClient.Response again = c.post("/nodes/pve/storage/local/oci-registry-pull", "reference", "docker.io/library/nginx:latest");
        assertThat(again.status()).isEqualTo(500);
        assertThat(again.reason()).startsWith("refusing to override existing file");
        SimClient.Response lvm = c.post("/nodes/pve/storage/local-lvm/oci-registry-pull", "reference", "alpine:3.22");
        assertThat(lvm.reason()).isEqualTo("storage 'local-lvm' is not configured for content-type 'vztmpl'");
        SimClient.Response noDir = c.post("/nodes/pve/lxc", "vmid", "170", "ostemplate", TEMPLATE);
        assertThat(noDir.status()).isEqualTo(400);
        assertThat(noDir.json().get("errors").get("storage").asText())
                .isEqualTo("storage 'local' does not support container directories");
    }
}
