package io.proxplane.core.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.proxplane.core.proxmox.model.AclUpdate;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.proxmox.model.DestroyOptions;
import io.proxplane.core.proxmox.model.Features;
import io.proxplane.core.proxmox.model.LxcConfigUpdate;
import io.proxplane.core.proxmox.model.LxcCreateRequest;
import io.proxplane.core.proxmox.model.NetworkInterface;
import io.proxplane.core.proxmox.model.PoolUpdate;
import io.proxplane.core.proxmox.model.RealmSyncOptions;
import io.proxplane.core.proxmox.model.RootFs;
import io.proxplane.core.proxmox.model.TaskQuery;
import io.proxplane.core.proxmox.model.Upid;
import io.proxplane.core.proxmox.model.UserRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import io.proxplane.pvesim.api.Formats;
import io.proxplane.pvesim.contract.PveApiSchema;
import io.proxplane.pvesim.contract.SchemaContract;
import org.junit.jupiter.api.Test;

/**
 * Every call the client can make, checked against the official PVE 9.1 API schema (read in place
 * from the shared reference folder, never copied): the method and path template exist, every
 * parameter is declared, required ones are present, booleans are 0/1, integers, enums, patterns,
 * lengths and the main named formats hold, property-string keys are declared.
 */
class ClientSchemaContractTest {

    private static final String UPID = "UPID:pve:00000001:00000002:66A1B2C3:vzstart:100:root@pam!test:";

    private record Recorded(String method, String template, Map<String, String> params) {
    }

    @Test
    void everyCallMatchesTheSchema() throws IOException {
        Optional<Path> dir = PveApiSchema.locateDirectory();
        Assumptions.assumeTrue(dir.isPresent(),
                "PVE API schema not found (expected ../shared/proxmox-api-schema/ beside the project root,"
                        + " or -Dpve.schema.dir=...); skipping the client's schema contract test");
        PveApiSchema schema = PveApiSchema.load(dir.get().resolve(PveApiSchema.SUBSET_FILE));

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            String body = ex.getRequestMethod().equals("GET") ? "{\"data\":[]}" : "{\"data\":\"" + UPID + "\"}";
            byte[] out = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        List<Recorded> recorded = new CopyOnWriteArrayList<>();
        List<String> problems = new ArrayList<>();
        try (ProxmoxClient c = ProxmoxClient.builder().endpoint("http://127.0.0.1:" + server.getAddress().getPort())
                .apiToken("root@pam!test", "x").retryPolicy(RetryPolicy.none()).build()) {
            c.addRequestListener((m, t, path, p) -> recorded.add(new Recorded(m, t, p)));
            Upid upid = Upid.parse(UPID);
            List<Runnable> calls = List.of(
                    c::version,
                    () -> c.cluster().resources(ClusterResource.Type.VM),
                    () -> c.cluster().nextId(),
                    () -> c.cluster().isVmidFree(123),
                    () -> c.nodes().list(),
                    () -> c.nodes().status("pve"),
                    () -> c.nodes().storages("pve", "vztmpl"),
                    () -> c.nodes().storageContent("pve", "local", "vztmpl"),
                    () -> c.nodes().pullOciImage("pve", "local", "docker.io/library/nginx:latest", "nginx.tar"),
                    () -> c.nodes().ociRepoTags("pve", "docker.io/library/nginx"),
                    () -> c.lxc().list("pve"),
                    () -> c.lxc().create("pve", LxcCreateRequest.builder(100, "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst")
                            .hostname("web1.example").cores(2).cpulimit(1.5).memory(1024).swap(512)
                            .rootfs(RootFs.allocate("local-lvm", 8).withMountOptions(List.of("noatime")))
                            .net(0, NetworkInterface.builder("eth0").bridge("vmbr0").ip("dhcp").ip6("auto").firewall(true)
                                    .tag(10).mtu(1500).hostManaged(true).hwaddr("BC:24:11:2E:C5:7E").build())
                            .net(1, NetworkInterface.builder("eth1").bridge("vmbr1").ip("10.0.0.5/24").gw("10.0.0.1").build())
                            .nameserver("1.1.1.1").searchdomain("example.org").features(Features.nestingOnly().withKeyctl(true))
                            .tags(List.of("web", "prod")).pool("team-a").unprivileged(true).onboot(true).start(true)
                            .protection(false).sshPublicKeys(List.of("ssh-ed25519 AAAA me@host")).password("secret1")
                            .description("d").entrypoint("/bin/sh").env(Map.of("A", "1")).ostype("debian")
                            .storage("local-lvm").arch("amd64").timezone("Europe/Berlin").build()),
                    () -> c.lxc().config("pve", 100),
                    () -> c.lxc().updateConfig("pve", 100, LxcConfigUpdate.builder().cores(2).memory(2048).swap(0)
                            .hostname("web2").onboot(false).protection(true).tags(List.of("x"))
                            .net(0, NetworkInterface.dhcp("eth0", "vmbr0")).features(Features.nestingOnly())
                            .nameserver("9.9.9.9").searchdomain("example.com").startup("order=1,up=30")
                            .delete("mp0", "description").digest("0123456789abcdef0123456789abcdef01234567").build()),
                    () -> c.lxc().pending("pve", 100),
                    () -> c.lxc().destroy("pve", 100, new DestroyOptions(true, true, true)),
                    () -> c.lxc().status("pve", 100),
                    () -> c.lxc().start("pve", 100),
                    () -> c.lxc().stop("pve", 100),
                    () -> c.lxc().shutdown("pve", 100, 30, true),
                    () -> c.lxc().reboot("pve", 100, 30),
                    () -> c.lxc().interfaces("pve", 100),
                    () -> c.lxc().resize("pve", 100, "rootfs", "+2G", "0123456789abcdef0123456789abcdef01234567"),
                    () -> c.tasks().status(upid),
                    () -> c.tasks().log(upid, 0, 50),
                    () -> c.tasks().list("pve", new TaskQuery(100, "vzstart", "all", true, 0, 10)),
                    () -> c.tasks().stop(upid),
                    () -> c.pools().list(),
                    () -> c.pools().get("team-a"),
                    () -> c.pools().create("team-a", "comment"),
                    () -> c.pools().update(PoolUpdate.addVms("team-a", List.of(100, 101)).withStorages(List.of("local"))
                            .withAllowMove(true).withComment("c")),
                    () -> c.pools().update(PoolUpdate.removeVms("team-a", List.of(100))),
                    () -> c.pools().delete("team-a"),
                    () -> c.users().list(true),
                    () -> c.users().get("alice@pve"),
                    () -> c.users().create(UserRequest.builder("alice@pve").password("alice-password").email("a@example.org")
                            .firstname("A").lastname("L").comment("c").enable(true).expire(0).groups(List.of("dev")).build()),
                    () -> c.users().update(UserRequest.builder("alice@pve").groups(List.of("ops")).appendGroups().enable(false).build()),
                    () -> c.users().delete("alice@pve"),
                    () -> c.groups().list(),
                    () -> c.groups().get("dev"),
                    () -> c.groups().create("dev", "developers"),
                    () -> c.groups().update("dev", "devs"),
                    () -> c.groups().delete("dev"),
                    () -> c.acl().list(),
                    () -> c.acl().update(new AclUpdate("/vms/100", List.of("PVEVMUser", "PVEAuditor"), List.of("alice@pve"),
                            List.of("dev"), List.of("alice@pve!tok"), false, false)),
                    () -> c.acl().update(AclUpdate.grantToGroup("/pool/team-a", "PVEPoolUser", "dev").revoke()),
                    () -> c.acl().roles(),
                    () -> c.realms().sync("ldap", RealmSyncOptions.both().withRemoveVanished(List.of("acl", "entry"))
                            .withEnableNew(true).withDryRun(true)));
            for (Runnable call : calls) {
                int before = recorded.size();
                try {
                    call.run();
                } catch (RuntimeException parseOfTheCannedAnswer) {
                    // The server answers every call alike; only the request matters here.
                }
                if (recorded.size() == before) {
                    problems.add("a call sent no request (rejected client-side?)");
                }
            }
        } finally {
            server.stop(0);
        }

        SchemaContract contract = new SchemaContract(schema,
                (format, value) -> Optional.ofNullable(Formats.check(format, value)).map(String::strip));
        for (Recorded r : recorded) {
            problems.addAll(contract.checkRequest(r.method(), r.template(), r.params()));
        }
        assertThat(problems).isEmpty();
        assertThat(recorded).hasSizeGreaterThanOrEqualTo(48);
    }
}
