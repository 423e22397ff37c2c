package io.proxplane.terraform.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.ExternalDomainSpec;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.engine.spec.SiteSpec;
import io.proxplane.core.engine.spec.UserSpec;
import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import io.proxplane.terraform.TestRegistry;
import io.proxplane.terraform.diag.AttributePath;
import io.proxplane.terraform.diag.Diagnostic;
import io.proxplane.terraform.framework.DynamicValue;
import io.proxplane.terraform.framework.ProviderCore;
import io.proxplane.terraform.framework.Resource;
import io.proxplane.terraform.provider.ProxplaneProvider;
import io.proxplane.terraform.schema.Attribute;
import io.proxplane.terraform.schema.Block;
import io.proxplane.terraform.schema.NestedBlock;
import io.proxplane.terraform.value.MsgpackCodec;
import io.proxplane.terraform.value.TfType;
import io.proxplane.terraform.value.TfValue;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The resources in-process against the PVE simulator and a fresh registry on the real PostgreSQL:
 * field-named validation, and a refresh of many containers costing one /cluster/resources call.
 */
class EngineResourcesTest {

    @RegisterExtension
    static final PveSimulatorExtension SIM = PveSimulatorExtension.with(b -> b.nodes("pve1", "pve2"));

    static TestRegistry registry;
    static ProxplaneProvider provider;
    static ProviderCore core;

    @BeforeAll
    static void configure() {
        registry = TestRegistry.create();
        PveSimulator pve = SIM.simulator();
        provider = new ProxplaneProvider(Map.of("TF_WORKSPACE", "unit"));
        core = new ProviderCore(provider);
        var d = core.configureProvider("1.6.2", dv(TfValue.obj(Map.of(
                "endpoint", TfValue.of(pve.baseUrl()),
                "api_token", TfValue.of(PveSimulatorExtension.DEFAULT_TOKEN_ID + "=" + PveSimulatorExtension.DEFAULT_TOKEN_SECRET),
                "tls_fingerprint", TfValue.of(pve.certificateFingerprintSha256()),
                "registry_url", TfValue.of(registry.url()))), provider.providerSchema().type()));
        assertThat(d.all()).isEmpty();
    }

    @AfterAll
    static void close() {
        provider.engineAccess().close();
        registry.close();
    }

    static DynamicValue dv(TfValue v, TfType type) {
        return DynamicValue.msgpack(MsgpackCodec.encode(v, type));
    }

    static Resource resource(String type) {
        return provider.resources().stream().filter(r -> r.typeName().equals(type)).findFirst().orElseThrow();
    }

    /** The private state Terraform keeps per instance (type + id), as it would across plan, apply and read. */
    static final Map<String, byte[]> PRIVATE = new java.util.concurrent.ConcurrentHashMap<>();

    static byte[] privateOf(String type, TfValue.Obj state) {
        return PRIVATE.get(type + "|" + state.get("id"));
    }

    /** Plans and applies a create of {@code config} like Terraform does (proposed = config); returns the new state. */
    static TfValue.Obj create(String type, Map<String, TfValue> config) {
        TfType t = resource(type).schema().type();
        DynamicValue c = dv(TfValue.obj(config), t);
        ProviderCore.PlanResult plan = core.planResourceChange(type, dv(TfValue.NULL, t), c, c, null);
        assertThat(plan.diagnostics().all()).isEmpty();
        ProviderCore.StateResult applied = core.applyResourceChange(type, dv(TfValue.NULL, t),
                DynamicValue.msgpack(plan.plannedState()), c, plan.plannedPrivate());
        assertThat(applied.diagnostics().all()).isEmpty();
        TfValue.Obj state = (TfValue.Obj) MsgpackCodec.decode(applied.state(), t);
        PRIVATE.put(type + "|" + state.get("id"), applied.privateState());
        return state;
    }

    /** Plans and applies an update like Terraform does (proposed = config over the prior computed values). */
    static TfValue.Obj update(String type, TfValue.Obj prior, Map<String, TfValue> config) {
        TfType t = resource(type).schema().type();
        Map<String, TfValue> proposed = new HashMap<>(prior.entries());
        resource(type).schema().block().attributes().forEach(a -> {
            if (!a.mode().computed() || config.containsKey(a.name())) {
                proposed.put(a.name(), config.getOrDefault(a.name(), TfValue.NULL));
            }
        });
        ProviderCore.PlanResult plan = core.planResourceChange(type, dv(prior, t), dv(TfValue.obj(proposed), t),
                dv(TfValue.obj(config), t), privateOf(type, prior));
        assertThat(plan.diagnostics().all()).isEmpty();
        assertThat(plan.requiresReplace()).isEmpty();
        ProviderCore.StateResult applied = core.applyResourceChange(type, dv(prior, t), DynamicValue.msgpack(plan.plannedState()),
                dv(TfValue.obj(config), t), plan.plannedPrivate());
        assertThat(applied.diagnostics().all()).isEmpty();
        TfValue.Obj state = (TfValue.Obj) MsgpackCodec.decode(applied.state(), t);
        PRIVATE.put(type + "|" + state.get("id"), applied.privateState());
        return state;
    }

    static ProviderCore.PlanResult planUpdate(String type, TfValue.Obj prior, Map<String, TfValue> config) {
        TfType t = resource(type).schema().type();
        Map<String, TfValue> proposed = new HashMap<>(prior.entries());
        resource(type).schema().block().attributes().forEach(a -> {
            if (!a.mode().computed() || config.containsKey(a.name())) {
                proposed.put(a.name(), config.getOrDefault(a.name(), TfValue.NULL));
            }
        });
        return core.planResourceChange(type, dv(prior, t), dv(TfValue.obj(proposed), t), dv(TfValue.obj(config), t), null);
    }

    @Test
    void onlyWhatProxmoxCannotChangeInPlaceReplaces() {
        create("proxplane_site", site("repl"));
        Map<String, TfValue> config = new HashMap<>(container("repl", "r1"));
        config.put("disk_gb", TfValue.of(2L));
        TfValue.Obj state = create("proxplane_container", config);
        TfType t = resource("proxplane_container").schema().type();

        Map<String, TfValue> inPlace = new HashMap<>(config);
        inPlace.put("cores", TfValue.of(2L));
        inPlace.put("memory_mb", TfValue.of(128L));
        inPlace.put("disk_gb", TfValue.of(3L));
        inPlace.put("env", TfValue.obj(Map.of("A", TfValue.of("1"))));
        ProviderCore.PlanResult p = planUpdate("proxplane_container", state, inPlace);
        assertThat(p.diagnostics().all()).isEmpty();
        assertThat(p.requiresReplace()).isEmpty();
        TfValue.Obj planned = (TfValue.Obj) MsgpackCodec.decode(p.plannedState(), t);
        for (String stable : List.of("vmid", "mac", "ipv4", "node", "fqdn", "id")) {
            assertThat(planned.get(stable)).as(stable).isEqualTo(state.get(stable));
        }

        Map<String, TfValue> image = new HashMap<>(config);
        image.put("image", TfValue.of("docker.io/library/nginx:1.27"));
        assertThat(planUpdate("proxplane_container", state, image).requiresReplace()).containsExactly(AttributePath.of("image"));
        Map<String, TfValue> shrink = new HashMap<>(config);
        shrink.put("disk_gb", TfValue.of(1L));
        assertThat(planUpdate("proxplane_container", state, shrink).requiresReplace()).containsExactly(AttributePath.of("disk_gb"));
        Map<String, TfValue> move = new HashMap<>(config);
        String other = ((TfValue.Str) state.get("node")).value().equals("pve1") ? "pve2" : "pve1";
        move.put("node", TfValue.of(other));
        assertThat(planUpdate("proxplane_container", state, move).requiresReplace()).containsExactly(AttributePath.of("node"));
        Map<String, TfValue> unknownImage = new HashMap<>(config);
        unknownImage.put("image", TfValue.UNKNOWN);
        assertThat(planUpdate("proxplane_container", state, unknownImage).requiresReplace()).containsExactly(AttributePath.of("image"));
    }

    @Test
    void aWriteOnlyPasswordIsAppliedButNeverInPlanOrState() {
        String hashBefore;
        TfType t = resource("proxplane_user").schema().type();
        Map<String, TfValue> config = Map.of("username", TfValue.of("wendy"), "password_wo", TfValue.of("s3cret-wendy"),
                "password_wo_version", TfValue.of(1L));
        DynamicValue c = dv(TfValue.obj(config), t);
        ProviderCore.PlanResult plan = core.planResourceChange("proxplane_user", dv(TfValue.NULL, t), c, c, null);
        assertThat(plan.diagnostics().all()).isEmpty();
        assertThat(((TfValue.Obj) MsgpackCodec.decode(plan.plannedState(), t)).get("password_wo").isNull()).isTrue();
        ProviderCore.StateResult applied = core.applyResourceChange("proxplane_user", dv(TfValue.NULL, t),
                DynamicValue.msgpack(plan.plannedState()), c, plan.plannedPrivate());
        assertThat(applied.diagnostics().all()).isEmpty();
        TfValue.Obj state = (TfValue.Obj) MsgpackCodec.decode(applied.state(), t);
        assertThat(state.get("password_wo").isNull()).isTrue();
        assertThat(state.get("password").isNull()).isTrue();
        hashBefore = provider.engineAccess().engine().registry().users().findByUsername("wendy").orElseThrow().spec().passwordHash();
        assertThat(io.proxplane.core.engine.PasswordHasher.verify("s3cret-wendy", hashBefore)).isTrue();

        // a client without write-only support (OpenTofu 1.6, Terraform < 1.11) would store it: refused
        assertThat(core.validateResourceConfig("proxplane_user", c, false).all()).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo(AttributePath.of("password_wo"));
            assertThat(d.detail()).contains("Terraform 1.11");
        });
        assertThat(core.validateResourceConfig("proxplane_user", c, true).all()).isEmpty();
        assertThat(validate("proxplane_user", Map.of("username", TfValue.of("wendy"), "password", TfValue.of("s3cret-wendy"),
                "password_wo", TfValue.of("s3cret-wendy")))).singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("password_wo")));
    }

    @Test
    void membershipsDeclaredOnTheUserSurviveAnUpdateOfTheGroupAndViceVersa() {
        TfValue.Obj ops = create("proxplane_group", Map.of("name", TfValue.of("ops")));
        TfValue.Obj carol = create("proxplane_user", Map.of("username", TfValue.of("carol"),
                "extra_groups", TfValue.seq(List.of(TfValue.of("ops")))));
        update("proxplane_group", ops, Map.of("name", TfValue.of("ops"), "admin", TfValue.of(true)));
        assertThat(provider.engineAccess().engine().users().observe("carol").orElseThrow().groups()).containsExactly("ops");

        TfValue.Obj sre = create("proxplane_group", Map.of("name", TfValue.of("sre"), "members", TfValue.seq(List.of(TfValue.of("carol")))));
        update("proxplane_user", carol, Map.of("username", TfValue.of("carol"), "mail", TfValue.of("carol@example.com")));
        assertThat(provider.engineAccess().engine().users().observe("carol").orElseThrow().groups()).containsExactly("ops", "sre");
        assertThat(sre.get("gid")).isInstanceOf(TfValue.Num.class);
    }

    @Test
    void aUsersPrimaryGroupIsItsPrivateGroupUnlessOneIsNamed() {
        TfValue.Obj staff = create("proxplane_group", Map.of("name", TfValue.of("staff")));
        TfValue.Obj dora = create("proxplane_user", Map.of("username", TfValue.of("dora")));
        assertThat(dora.get("gid")).isEqualTo(dora.get("uid")).isNotEqualTo(staff.get("gid"));
        TfValue.Obj chosen = update("proxplane_user", dora, Map.of("username", TfValue.of("dora"), "primary_group", TfValue.of("staff")));
        assertThat(chosen.get("gid")).isEqualTo(staff.get("gid"));
        TfValue.Obj back = update("proxplane_user", chosen, Map.of("username", TfValue.of("dora")));
        assertThat(back.get("gid")).isEqualTo(dora.get("uid"));
    }

    @Test
    void directoryServiceAccountsStoreOnlyAHash() {
        TfValue.Obj svc = create("proxplane_directory_service_account", Map.of("name", TfValue.of("ct-201"),
                "description", TfValue.of("lookups of ct 201"), "password", TfValue.of("service-password-0123456789")));
        assertThat(svc.get("id")).isEqualTo(TfValue.of("ct-201"));
        assertThat(resource("proxplane_directory_service_account").schema().block().attributes().stream()
                .filter(a -> a.name().equals("password")).findFirst().orElseThrow().sensitive()).isTrue();
        String hash = provider.engineAccess().engine().registry().serviceAccounts().findByName("ct-201").orElseThrow()
                .spec().passwordHash();
        assertThat(hash).startsWith("$argon2id$");
        update("proxplane_directory_service_account", svc, Map.of("name", TfValue.of("ct-201"),
                "password", TfValue.of("another-service-password-987")));
        assertThat(io.proxplane.core.engine.PasswordHasher.verify("another-service-password-987",
                provider.engineAccess().engine().registry().serviceAccounts().findByName("ct-201").orElseThrow().spec().passwordHash()))
                .isTrue();
        assertThat(validate("proxplane_directory_service_account", Map.of("name", TfValue.of("ct-201"),
                "password", TfValue.of("short")))).anySatisfy(dg -> assertThat(dg.toString()).contains("password"));
    }

    static List<Diagnostic> validate(String type, Map<String, TfValue> config) {
        return core.validateResourceConfig(type, dv(TfValue.obj(config), resource(type).schema().type())).all();
    }

    /** One /24 per site name: sites on one cluster and bridge must not overlap (the engine refuses it). */
    private static final Map<String, Integer> NETWORKS = new java.util.concurrent.ConcurrentHashMap<>();

    static Map<String, TfValue> site(String name) {
        int octet = NETWORKS.computeIfAbsent(name, n -> 30 + NETWORKS.size());
        return Map.of("name", TfValue.of(name), "dns_domain", TfValue.of(name + ".internal"),
                "network_cidr", TfValue.of("10." + octet + ".0.0/24"), "gateway", TfValue.of("10." + octet + ".0.1"),
                "proxmox_endpoint", TfValue.seq(List.of(TfValue.obj(Map.of("url", TfValue.of(SIM.simulator().baseUrl()))))));
    }

    static Map<String, TfValue> container(String site, String name) {
        return Map.of("site", TfValue.of(site), "name", TfValue.of(name),
                "image", TfValue.of("local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"), "memory_mb", TfValue.of(64L),
                "disk_gb", TfValue.of(1L));
    }

    @Test
    void refreshOfManyContainersCostsOneClusterResourcesCall() throws Exception {
        create("proxplane_site", site("bulk"));
        int n = 12;
        List<TfValue.Obj> states = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            states.add(create("proxplane_container", container("bulk", "c" + i)));
        }
        assertThat(states).allSatisfy(s -> assertThat(s.get("vmid")).isInstanceOf(TfValue.Num.class));
        provider.engineAccess().changed("bulk"); // as in a fresh process: nothing cached
        Map<String, Long> before = counts();

        TfType t = resource("proxplane_container").schema().type();
        ExecutorService pool = Executors.newFixedThreadPool(10); // Terraform's default parallelism
        try {
            List<Future<ProviderCore.StateResult>> reads = new ArrayList<>();
            for (TfValue.Obj s : states) {
                reads.add(pool.submit(() -> core.readResource("proxplane_container", dv(s, t), null)));
            }
            for (int i = 0; i < n; i++) {
                ProviderCore.StateResult r = reads.get(i).get();
                assertThat(r.diagnostics().all()).isEmpty();
                assertThat(MsgpackCodec.decode(r.state(), t)).isEqualTo(states.get(i));
            }
        } finally {
            pool.shutdown();
        }
        Map<String, Long> delta = delta(before, counts());
        assertThat(delta).containsExactly(Map.entry("GET /cluster/resources", 1L));
    }

    static Map<String, Long> counts() {
        Map<String, Long> sum = new HashMap<>();
        for (ProxmoxClient c : provider.engineAccess().engine().proxmoxClients()) {
            c.requestCounts().forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
        return sum;
    }

    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new LinkedHashMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    @Test
    void specRefusalsNameTheAttribute() {
        Map<String, TfValue> tooSmall = new HashMap<>(container("lab", "web1"));
        tooSmall.put("memory_mb", TfValue.of(1L));
        assertThat(validate("proxplane_container", tooSmall)).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo(AttributePath.of("memory_mb"));
            assertThat(d.detail()).contains("memory_mb must be between 16 and");
        });
        Map<String, TfValue> badKey = new HashMap<>(container("lab", "web1"));
        badKey.put("ssh_keys", TfValue.seq(List.of(TfValue.of("ssh-ed25519 AAAA x"), TfValue.of("not a key"))));
        assertThat(validate("proxplane_container", badKey)).singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("ssh_keys").index(1)));
        Map<String, TfValue> badEnv = new HashMap<>(container("lab", "web1"));
        badEnv.put("env", TfValue.obj(Map.of("HOME", TfValue.of("a\0b"))));
        assertThat(validate("proxplane_container", badEnv)).singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("env").key("HOME")));

        Map<String, TfValue> port = Map.of("site", TfValue.of("lab"), "container", TfValue.of("web1"), "name", TfValue.of("https"),
                "http", TfValue.obj(Map.of("hostname", TfValue.of("web"), "domain", TfValue.of("apps.example.com"),
                        "internal_port", TfValue.of(0L))));
        assertThat(validate("proxplane_container_service", port)).singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("http").attribute("internal_port")));
        Map<String, TfValue> lowPort = Map.of("site", TfValue.of("lab"), "container", TfValue.of("web1"), "name", TfValue.of("ssh"),
                "tcp", TfValue.obj(Map.of("internal_port", TfValue.of(22L), "external_port", TfValue.of(80L))));
        assertThat(validate("proxplane_container_service", lowPort)).singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("tcp").attribute("external_port")));

        Map<String, TfValue> plainHttp = new HashMap<>(site("lab"));
        plainHttp.put("proxmox_endpoint", TfValue.seq(List.of(TfValue.obj(Map.of("url", TfValue.of("http://pve.example:8006"))))));
        assertThat(validate("proxplane_site", plainHttp)).singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("proxmox_endpoint").index(0).attribute("url")));
        Map<String, TfValue> gateway = new HashMap<>(site("lab"));
        gateway.put("gateway", TfValue.of("10.99.0.1"));
        assertThat(validate("proxplane_site", gateway)).singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("gateway")));

        assertThat(validate("proxplane_pool", Map.of("name", TfValue.of("web"), "acl_grant", TfValue.seq(List.of(
                TfValue.obj(Map.of("role", TfValue.of("PVEVMUser"))))))))
                .singleElement().satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("acl_grant").index(0).attribute("group")));
        assertThat(validate("proxplane_user", Map.of("username", TfValue.of("alice"), "password", TfValue.of("short"))))
                .singleElement().satisfies(d -> {
                    assertThat(d.path()).isEqualTo(AttributePath.of("password"));
                    assertThat(d.detail()).doesNotContain("short");
                });
    }

    static List<Diagnostic> planCreate(String type, Map<String, TfValue> config) {
        TfType t = resource(type).schema().type();
        DynamicValue c = dv(TfValue.obj(config), t);
        return core.planResourceChange(type, dv(TfValue.NULL, t), c, c, null).diagnostics().all();
    }

    @Test
    void referencesToObjectsNobodyMakesAreRefusedAtPlanOnTheirAttribute() {
        create("proxplane_site", site("refs"));
        Map<String, TfValue> c = new HashMap<>(container("refs", "r1"));
        c.put("owner", TfValue.of("ghost"));
        c.put("pool", TfValue.of("nopool"));
        assertThat(planCreate("proxplane_container", c)).satisfiesExactlyInAnyOrder(
                d -> {
                    assertThat(d.path()).isEqualTo(AttributePath.of("owner"));
                    assertThat(d.detail()).contains("user 'ghost' does not exist", "proxplane_user.x.username");
                },
                d -> assertThat(d.path()).isEqualTo(AttributePath.of("pool")));
        Map<String, TfValue> elsewhere = new HashMap<>(container("nosite", "r1"));
        assertThat(planCreate("proxplane_container", elsewhere)).singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("site")));

        // created in the same plan: Terraform plans the user (and pool) first when the container refers to them
        assertThat(planCreate("proxplane_user", Map.of("username", TfValue.of("ghost")))).isEmpty();
        assertThat(planCreate("proxplane_pool", Map.of("name", TfValue.of("nopool")))).isEmpty();
        assertThat(planCreate("proxplane_container", c)).isEmpty();

        Map<String, TfValue> svc = Map.of("site", TfValue.of("refs"), "container", TfValue.of("r2"), "name", TfValue.of("https"),
                "http", TfValue.obj(Map.of("hostname", TfValue.of("web"), "domain", TfValue.of("nowhere.example.com"),
                        "internal_port", TfValue.of(80L))));
        assertThat(planCreate("proxplane_container_service", svc)).extracting(Diagnostic::path).containsExactlyInAnyOrder(
                AttributePath.of("container"), AttributePath.of("http").attribute("domain"));
        assertThat(planCreate("proxplane_group", Map.of("name", TfValue.of("crew"),
                "members", TfValue.seq(List.of(TfValue.of("ghost"), TfValue.of("nobody"))))))
                .singleElement().satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("members").index(1)));
        assertThat(planCreate("proxplane_user", Map.of("username", TfValue.of("solo"),
                "extra_groups", TfValue.seq(List.of(TfValue.of("nogroup"))))))
                .singleElement().satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("extra_groups").index(0)));
        // a reference the last apply made is not checked again: a group whose member was deleted
        // since can still be planned (destroy plans first) as long as members do not change
        create("proxplane_user", Map.of("username", TfValue.of("gone")));
        TfValue.Obj crew2 = create("proxplane_group", Map.of("name", TfValue.of("crew2"), "members", TfValue.seq(List.of(TfValue.of("gone")))));
        provider.engineAccess().engine().users().delete("terraform:unit", "gone");
        assertThat(planUpdate("proxplane_group", crew2, Map.of("name", TfValue.of("crew2"),
                "members", TfValue.seq(List.of(TfValue.of("gone"))))).diagnostics().all()).isEmpty();
        // an unknown reference (a resource not planned yet) waits for apply
        Map<String, TfValue> unknownOwner = new HashMap<>(container("refs", "r3"));
        unknownOwner.put("owner", TfValue.UNKNOWN);
        assertThat(planCreate("proxplane_container", unknownOwner)).isEmpty();
    }

    @Test
    void aPortHeldByAnotherTeamOrAskedTwiceInOnePlanIsRefusedAtPlan() {
        create("proxplane_site", site("held"));
        var engine = provider.engineAccess().engine();
        String other = "k8s:team-b";
        engine.containers().apply(other, io.proxplane.core.engine.spec.ContainerSpec.builder("held", "theirs",
                "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst").memoryMb(64).diskGb(1).build());
        int port = engine.services().apply(other, io.proxplane.core.engine.spec.ContainerServiceSpec.tcp("held", "theirs", "ssh",
                22, null)).status().externalPort();
        create("proxplane_container", container("held", "mine"));

        Map<String, TfValue> ssh = Map.of("site", TfValue.of("held"), "container", TfValue.of("mine"), "name", TfValue.of("ssh"),
                "tcp", TfValue.obj(Map.of("internal_port", TfValue.of(22L), "external_port", TfValue.of((long) port))));
        assertThat(planCreate("proxplane_container_service", ssh)).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo(AttributePath.of("tcp").attribute("external_port"));
            assertThat(d.detail()).contains("tcp port " + port, "held by service theirs/ssh", other);
        });
        // a free port, asked by two services of one plan: the second is refused
        int free = port + 1;
        Map<String, TfValue> a = Map.of("site", TfValue.of("held"), "container", TfValue.of("mine"), "name", TfValue.of("a"),
                "tcp", TfValue.obj(Map.of("internal_port", TfValue.of(22L), "external_port", TfValue.of((long) free))));
        Map<String, TfValue> b = new HashMap<>(a);
        b.put("name", TfValue.of("b"));
        assertThat(planCreate("proxplane_container_service", a)).isEmpty();
        assertThat(planCreate("proxplane_container_service", a)).as("the same resource planned again").isEmpty();
        assertThat(planCreate("proxplane_container_service", b)).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo(AttributePath.of("tcp").attribute("external_port"));
            assertThat(d.detail()).contains("also requested by service held/mine/a");
        });
    }

    @Test
    void aFractionIsRefusedNamingTheAttribute() {
        Map<String, TfValue> c = new HashMap<>(container("lab", "web1"));
        c.put("cores", new TfValue.Num(new java.math.BigDecimal("1.5")));
        assertThat(validate("proxplane_container", c)).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo(AttributePath.of("cores"));
            assertThat(d.detail()).contains("whole number");
        });
    }

    @Test
    void referencesToOtherResourcesDoNotHideErrorsButOtherUnknownsWaitForApply() {
        Map<String, TfValue> c = new HashMap<>(container("lab", "web1"));
        c.put("memory_mb", TfValue.of(1L));
        c.put("site", TfValue.UNKNOWN);
        c.put("pool", TfValue.UNKNOWN);
        assertThat(validate("proxplane_container", c)).singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("memory_mb")));
        c.put("entrypoint", TfValue.UNKNOWN);
        assertThat(validate("proxplane_container", c)).isEmpty();
    }

    @Test
    void namesMustBeWrittenAsTheEngineStoresThem() {
        Map<String, TfValue> c = new HashMap<>(container("lab", "Web1"));
        assertThat(validate("proxplane_container", c)).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo(AttributePath.of("name"));
            assertThat(d.detail()).contains("stored as 'web1'");
        });
        Map<String, TfValue> s = new HashMap<>(site("lab"));
        s.put("dns_domain", TfValue.of("Lab.Internal"));
        assertThat(validate("proxplane_site", s)).singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("dns_domain")));
    }

    @Test
    void aContainerRemovedBehindTerraformsBackReadsAsMissingSoTheNextApplyCreatesItAgain() throws Exception {
        create("proxplane_site", site("gone"));
        TfValue.Obj state = create("proxplane_container", container("gone", "victim"));
        int vmid = ((TfValue.Num) state.get("vmid")).value().intValue();
        String node = ((TfValue.Str) state.get("node")).value();
        PveSimulator pve = SIM.simulator();
        try (ProxmoxClient admin = ProxmoxClient.builder().endpoint(pve.baseUrl())
                .apiToken(PveSimulatorExtension.DEFAULT_TOKEN_ID, PveSimulatorExtension.DEFAULT_TOKEN_SECRET)
                .tls(io.proxplane.core.proxmox.TlsTrust.pinnedSha256(pve.certificateFingerprintSha256())).build()) {
            admin.tasks().await(admin.lxc().stop(node, vmid), java.time.Duration.ofSeconds(30));
            admin.tasks().await(admin.lxc().destroy(node, vmid, io.proxplane.core.proxmox.model.DestroyOptions.defaults()),
                    java.time.Duration.ofSeconds(30));
        }
        provider.engineAccess().changed("gone");
        TfType t = resource("proxplane_container").schema().type();
        ProviderCore.StateResult r = core.readResource("proxplane_container", dv(state, t), privateOf("proxplane_container", state));
        assertThat(r.diagnostics().all()).isEmpty();
        // The registry still holds it (claimed by this resource): the refresh shows the guest missing,
        // so the plan is an update by the holder (a create would be refused: the object exists).
        TfValue.Obj refreshed = (TfValue.Obj) MsgpackCodec.decode(r.state(), t);
        assertThat(refreshed.get("power_state")).isEqualTo(TfValue.of("missing"));
        assertThat(r.privateState()).isEqualTo(privateOf("proxplane_container", state));
        // apply of the update the plan then proposes brings it back at the addresses it had
        TfValue.Obj again = update("proxplane_container", refreshed, container("gone", "victim"));
        assertThat(again.get("vmid")).isEqualTo(state.get("vmid"));
        assertThat(again.get("ipv4")).isEqualTo(state.get("ipv4"));
    }

    /**
     * Every field of every engine spec record has its attribute (or nested block), named by the
     * one snake_case rule of {@link SpecPaths}: a spec field added in core without an attribute
     * fails here.
     */
    @Test
    void everySpecFieldHasItsAttribute() {
        Map<String, String> renames = Map.of("proxmoxEndpoints", "proxmox_endpoint", "nodeOverrides", "node_override",
                "aclGrants", "acl_grant");
        Map<Class<?>, String> resources = Map.of(SiteSpec.class, "proxplane_site", ExternalDomainSpec.class, "proxplane_external_domain",
                ContainerSpec.class, "proxplane_container", ContainerServiceSpec.class, "proxplane_container_service",
                PoolSpec.class, "proxplane_pool", UserSpec.class, "proxplane_user", GroupSpec.class, "proxplane_group",
                io.proxplane.core.engine.spec.ServiceAccountSpec.class, "proxplane_directory_service_account");
        resources.forEach((spec, type) -> {
            Set<String> names = names(resource(type).schema().block());
            for (RecordComponent rc : spec.getRecordComponents()) {
                String attr = renames.getOrDefault(rc.getName(), SpecPaths.snake(rc.getName()));
                assertThat(names).as(type + " for " + spec.getSimpleName() + "." + rc.getName()).contains(attr);
            }
        });
        // nested records: their fields are attributes of the nested block
        assertNested("proxplane_site", "proxmox_endpoint", SiteSpec.ProxmoxEndpointSpec.class);
        assertNested("proxplane_site", "node_override", SiteSpec.NodeOverride.class);
        assertNested("proxplane_container", "features", ContainerSpec.Features.class);
        assertNested("proxplane_container_service", "http", ContainerServiceSpec.Http.class);
        assertNested("proxplane_container_service", "tcp", ContainerServiceSpec.Stream.class);
        assertNested("proxplane_container_service", "dns_srv", ContainerServiceSpec.DnsSrv.class);
        assertNested("proxplane_pool", "quotas", PoolSpec.Quotas.class);
        assertNested("proxplane_pool", "acl_grant", PoolSpec.AclGrant.class);
        assertNested("proxplane_external_domain", "forward_auth", io.proxplane.core.edge.ForwardAuth.Settings.class);
    }

    @Test
    void tlsSourceAndForwardAuthAreCheckedAtPlan() {
        // a path nginx would read as two tokens: refused at plan, naming the map key
        Map<String, TfValue> badPath = Map.of("name", TfValue.of("apps.example.com"), "tls_source", TfValue.obj(Map.of(
                "certificateFile", TfValue.of("/etc/ssl/a;b.crt"), "keyFile", TfValue.of("/etc/ssl/a.key"))));
        assertThat(validate("proxplane_external_domain", badPath)).singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("tls_source").key("certificateFile")));
        Map<String, TfValue> secret = Map.of("name", TfValue.of("apps.example.com"), "tls_source", TfValue.obj(Map.of(
                "secretName", TfValue.of("apps-tls"))));
        assertThat(validate("proxplane_external_domain", secret)).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo(AttributePath.of("tls_source").key("secretName"));
            assertThat(d.detail()).contains("not supported");
        });
        Map<String, TfValue> preset = Map.of("name", TfValue.of("apps.example.com"), "auth_server_url", TfValue.of("https://auth.example.com"),
                "forward_auth", TfValue.obj(Map.of("preset", TfValue.of("keycloak"))));
        assertThat(validate("proxplane_external_domain", preset)).singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo(AttributePath.of("forward_auth").attribute("preset")));
        Map<String, TfValue> good = Map.of("name", TfValue.of("apps.example.com"), "auth_server_url", TfValue.of("https://auth.example.com"),
                "tls_source", TfValue.obj(Map.of("acmeEmail", TfValue.of("ops@example.com"))),
                "forward_auth", TfValue.obj(Map.of("preset", TfValue.of("oauth2-proxy"), "cache_allow_seconds", TfValue.of(60L))));
        assertThat(validate("proxplane_external_domain", good)).isEmpty();
    }

    private static void assertNested(String type, String block, Class<?> record) {
        Block b = resource(type).schema().block().blockTypes().stream().filter(x -> x.typeName().equals(block))
                .map(NestedBlock::block).findFirst().orElseThrow();
        Set<String> names = names(b);
        for (RecordComponent rc : record.getRecordComponents()) {
            assertThat(names).as(type + "." + block + " for " + record.getSimpleName() + "." + rc.getName())
                    .contains(SpecPaths.snake(rc.getName()));
        }
    }

    private static Set<String> names(Block b) {
        Set<String> names = b.attributes().stream().map(Attribute::name).collect(Collectors.toSet());
        b.blockTypes().forEach(x -> names.add(x.typeName()));
        return names;
    }

    @Test
    void endpointCredentialsComeFromTheProviderConfigurationByReference() {
        var d = new io.proxplane.terraform.diag.Diagnostics();
        var config = io.proxplane.terraform.provider.ProviderConfig.validate(TfValue.obj(Map.of(
                        "credentials", TfValue.obj(Map.of("cluster-b", TfValue.of("tf@pve!cib=bsecret"))))),
                Map.of("PROXMOX_VE_ENDPOINT", "https://pve:8006", "PROXMOX_VE_API_TOKEN", "tf@pve!cia=asecret", "PROXMOX_VE_INSECURE", "true"), d);
        var resolver = EngineAccess.resolver(config);
        var b = resolver.resolve(new io.proxplane.core.registry.ProxmoxEndpoint("https://b:8006", null, "cluster-b"));
        assertThat(b.tokenId()).isEqualTo("tf@pve!cib");
        assertThat(b.secret()).isEqualTo("bsecret");
        assertThat(b.tls()).isEqualTo(config.tls());
        assertThat(resolver.resolve(new io.proxplane.core.registry.ProxmoxEndpoint("https://a:8006", null, "default")).secret())
                .isEqualTo("asecret");
        assertThat(resolver.resolve(new io.proxplane.core.registry.ProxmoxEndpoint("https://c:8006", null, "cluster-c"))).isNull();
    }

    @Test
    void aSiteWhoseCredentialsAreNotConfiguredFailsAtApplyNamingTheReference() {
        PveSimulator pve = SIM.simulator();
        Map<String, TfValue> config = new HashMap<>(site("nocreds"));
        // another spelling of the same endpoint, so no client for it exists yet
        config.put("proxmox_endpoint", TfValue.seq(List.of(TfValue.obj(Map.of(
                "url", TfValue.of("https://localhost:" + pve.port()), "credentials_ref", TfValue.of("cluster-x"))))));
        TfType t = resource("proxplane_site").schema().type();
        DynamicValue c = dv(TfValue.obj(config), t);
        ProviderCore.PlanResult plan = core.planResourceChange("proxplane_site", dv(TfValue.NULL, t), c, c, null);
        assertThat(plan.diagnostics().all()).isEmpty();
        ProviderCore.StateResult applied = core.applyResourceChange("proxplane_site", dv(TfValue.NULL, t),
                DynamicValue.msgpack(plan.plannedState()), c, null);
        assertThat(applied.diagnostics().all()).singleElement().satisfies(x -> {
            assertThat(x.summary()).contains("proxmox_authentication");
            assertThat(x.detail()).contains("cluster-x");
        });
    }

    @Test
    void specPathsFollowTheSnakeCaseRule() {
        SpecPaths p = SpecPaths.of(Map.of("proxmoxEndpoints", "proxmox_endpoint"), "env");
        assertThat(p.path("memoryMb")).isEqualTo(AttributePath.of("memory_mb"));
        assertThat(p.path("sshKeys[2]")).isEqualTo(AttributePath.of("ssh_keys").index(2));
        assertThat(p.path("env.HOME")).isEqualTo(AttributePath.of("env").key("HOME"));
        assertThat(p.path("http.backendProtocol")).isEqualTo(AttributePath.of("http").attribute("backend_protocol"));
        assertThat(p.path("proxmoxEndpoints.url")).isEqualTo(AttributePath.of("proxmox_endpoint").attribute("url"));
    }
}
