package io.proxplane.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.proxplane.core.edge.NginxConfig;
import io.proxplane.core.edge.NginxRenderer;
import io.proxplane.core.edge.NginxSettings;
import io.proxplane.core.proxmox.ProxmoxClient;
import io.proxplane.core.proxmox.RetryPolicy;
import io.proxplane.core.proxmox.TlsTrust;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.edge.SnapshotMapper;
import io.proxplane.operator.api.Container;
import io.proxplane.operator.api.ContainerService;
import io.proxplane.operator.api.ContainerServiceSpec;
import io.proxplane.operator.api.ContainerSpec;
import io.proxplane.operator.api.DirectoryServiceAccount;
import io.proxplane.operator.api.ExternalDomain;
import io.proxplane.operator.api.Group;
import io.proxplane.operator.api.Pool;
import io.proxplane.operator.api.ProxplaneStatus;
import io.proxplane.operator.api.Site;
import io.proxplane.operator.api.User;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.proxplane.operator.OperatorFixture.await;
import static io.proxplane.operator.OperatorFixture.condition;
import static io.proxplane.operator.OperatorFixture.ready;
import static io.proxplane.operator.OperatorFixture.readyCondition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator end to end against the fabric8 mock API server (CRUD), the Proxmox simulator and
 * the real PostgreSQL: the examples in examples/kubernetes are applied as a user would, and every
 * resource must come to Ready with what Proxmox, the registry and the rendered edge config show.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExamplesOperatorTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String NS = "team-a";
    static final Map<String, Class<? extends CustomResource<?, ? extends ProxplaneStatus>>> KINDS = Map.of(
            "Site", Site.class, "ExternalDomain", ExternalDomain.class, "Pool", Pool.class, "User", User.class,
            "Group", Group.class, "Container", Container.class, "ContainerService", ContainerService.class,
            "DirectoryServiceAccount", DirectoryServiceAccount.class);

    static OperatorFixture f;
    static OperatorFixture.Running op;
    static ProxmoxClient pve;

    @BeforeAll
    static void up() {
        f = new OperatorFixture("pve1", "pve2");
        op = f.startOperator("test-operator", null, Duration.ofSeconds(3));
        pve = ProxmoxClient.builder().endpoint(f.sim.baseUrl())
                .apiToken(PveSimulatorExtension.DEFAULT_TOKEN_ID, PveSimulatorExtension.DEFAULT_TOKEN_SECRET)
                .tls(TlsTrust.pinnedSha256(f.sim.certificateFingerprintSha256()))
                .retryPolicy(RetryPolicy.of(2, Duration.ofMillis(10), Duration.ofMillis(50))).build();
    }

    @AfterAll
    static void down() {
        if (pve != null) pve.close();
        if (f != null) f.close();
    }

    static <T extends CustomResource<?, ? extends ProxplaneStatus>> T get(Class<T> type, String ns, String name) {
        return ns == null ? f.client.resources(type).withName(name).get() : f.client.resources(type).inNamespace(ns).withName(name).get();
    }

    static <T extends CustomResource<?, ? extends ProxplaneStatus>> T awaitReady(Class<T> type, String ns, String name) {
        return await(type.getSimpleName() + " " + name + " Ready", WAIT, () -> get(type, ns, name), OperatorFixture::ready);
    }

    static List<ClusterResource> guests() {
        return pve.cluster().resources().stream().filter(r -> "lxc".equals(r.type())).toList();
    }

    /** Applies the examples as they are, except the Site's endpoint and its token (the simulator's). */
    @Test
    @Order(1)
    void examplesComeToReadyWithAddressesPortsAndEdgeRoutes() {
        // ContainerServices go in once the site's edge agent has reported (below): created with the
        // rest, one could be reconciled before the report exists and say NoEdgeAgent instead of Pending
        List<HasMetadata> services = new ArrayList<>();
        for (HasMetadata o : OperatorFixture.examples()) {
            if (o.getKind().equals("ContainerService")) {
                services.add(o);
                continue;
            }
            if (o instanceof Secret s && s.getMetadata().getName().equals("pve-lab-token")) {
                f.client.resource(f.tokenSecret(s.getMetadata().getNamespace(), s.getMetadata().getName())).create();
                continue;
            }
            if (o instanceof Namespace n) {
                // as kubectl apply: the fixture made proxplane-system already (where the chart would)
                f.client.resource(n).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
                continue;
            }
            Class<? extends CustomResource<?, ? extends ProxplaneStatus>> type = KINDS.get(o.getKind());
            if (type == null) {
                f.client.resource(o).create();
                continue;
            }
            var typed = Serialization.unmarshal(Serialization.asJson(o), type);
            if (typed instanceof Site site) site.getSpec().proxmoxEndpoints.get(0).url = f.sim.baseUrl();
            f.client.resource(typed).create();
        }

        Site site = awaitReady(Site.class, null, "lab");
        assertThat(site.getStatus().onlineNodes).containsExactly("pve1", "pve2");
        // an edge agent of the site reports in (the real one runs beside nginx; its report is a registry row)
        long siteId = op.engine().registry().sites().findByName("lab").orElseThrow().id();
        op.engine().registry().edgeAgents().reportApplied("edge-test", siteId, 0);
        for (HasMetadata o : services) {
            f.client.resource(Serialization.unmarshal(Serialization.asJson(o), KINDS.get(o.getKind()))).create();
        }
        awaitReady(ExternalDomain.class, null, "apps.example.com");
        awaitReady(User.class, null, "alice");
        awaitReady(User.class, null, "bob");
        Group devs = awaitReady(Group.class, null, "devs");
        assertThat(devs.getStatus().members).containsExactly("alice", "bob");
        assertThat(devs.getStatus().gid).isGreaterThanOrEqualTo(1000);
        User alice = get(User.class, null, "alice");
        assertThat(alice.getStatus().gid).as("primary gid: alice's private group, never a group's gid")
                .isEqualTo(op.engine().registry().users().findByUsername("alice").orElseThrow().privateGid())
                .isNotEqualTo(devs.getStatus().gid);
        DirectoryServiceAccount svc = awaitReady(DirectoryServiceAccount.class, null, "ct-104");
        assertThat(svc.getStatus().hasPassword).isTrue();
        assertThat(io.proxplane.core.engine.PasswordHasher.verify("a long random service account password",
                op.engine().registry().serviceAccounts().findByName("ct-104").orElseThrow().spec().passwordHash())).isTrue();
        // Events about every cluster-scoped kind pass the API server's namespace rule (ApiServer) and land in
        // `default` with involvedObject.namespace empty, where `kubectl describe` finds them
        for (String kind : List.of("Site", "ExternalDomain", "User", "Group")) {
            await(kind + " events in default", WAIT, () -> f.client.v1().events().inNamespace("default").list().getItems(),
                    events -> events.stream().anyMatch(e -> e.getInvolvedObject().getKind().equals(kind)
                            && e.getInvolvedObject().getNamespace() == null));
        }

        Container web1 = awaitReady(Container.class, NS, "web1");
        assertThat(web1.getStatus().state).isEqualTo("running");
        assertThat(web1.getStatus().ipv4).startsWith("10.20.0.");
        assertThat(web1.getStatus().fqdn).isEqualTo("web1.lab.internal");
        assertThat(web1.getStatus().vmid).isNotNull();
        assertThat(web1.getStatus().mac).startsWith("02:70:78");
        Container game1 = awaitReady(Container.class, NS, "game1");
        assertThat(game1.getStatus().ipv4).isNotEqualTo(web1.getStatus().ipv4);
        assertThat(guests()).extracting(ClusterResource::vmid).contains(web1.getStatus().vmid, game1.getStatus().vmid);
        assertThat(pve.lxc().config(web1.getStatus().node, web1.getStatus().vmid).memory()).hasValue(512);

        ContainerService https = awaitReady(ContainerService.class, NS, "web1-https");
        assertThat(https.getStatus().url).isEqualTo("https://www.apps.example.com/");
        ContainerService tcp = awaitReady(ContainerService.class, NS, "game1-tcp");
        assertThat(tcp.getStatus().externalPort).isBetween(2000, 65535);
        ContainerService udp = awaitReady(ContainerService.class, NS, "game1-voice");
        assertThat(udp.getStatus().externalPort).isEqualTo(9987);
        ContainerService srv = awaitReady(ContainerService.class, NS, "game1-srv");
        assertThat(srv.getStatus().srvName).isEqualTo("_minecraft._tcp");

        Pool pool = await("pool usage", WAIT, () -> get(Pool.class, NS, "web"),
                p -> ready(p) && p.getStatus().containers != null && p.getStatus().containers == 2);
        assertThat(pool.getStatus().cores).isEqualTo(3);
        assertThat(pve.pools().get("web").members()).extracting(m -> m.vmid()).contains(web1.getStatus().vmid);

        // the edge config rendered from one registry snapshot routes every service
        assertThat(https.getStatus().conditions).anyMatch(c -> c.getType().equals("EdgeApplied") && c.getStatus().equals("False")
                && c.getReason().equals("Pending"));
        var mapped = SnapshotMapper.map(op.engine().registry().siteSnapshot(siteId), SnapshotMapper.Settings.defaults());
        assertThat(mapped.skipped()).isEmpty();
        NginxConfig nginx = NginxRenderer.render(mapped.snapshot(), NginxSettings.defaults());
        assertThat(nginx.httpConf()).contains("    www.apps.example.com \"http://" + web1.getStatus().ipv4 + ":80\";");
        assertThat(nginx.streamConf()).contains(String.valueOf(tcp.getStatus().externalPort))
                .contains(game1.getStatus().ipv4 + ":25565").contains("9987 udp");

        // once the edge agent reports a revision past the service's, the route is marked served
        op.engine().registry().edgeAgents().reportApplied("edge-test", siteId, op.engine().registry().currentRevision());
        ContainerService served = await("web1-https EdgeApplied", WAIT, () -> get(ContainerService.class, NS, "web1-https"),
                s -> s.getStatus().conditions.stream().anyMatch(c -> c.getType().equals("EdgeApplied") && c.getStatus().equals("True")));
        assertThat(served.getStatus().conditions).anyMatch(c -> c.getType().equals("EdgeApplied") && c.getMessage().contains("edge-test"));

        // kubectl describe shows what happened
        assertThat(f.client.v1().events().inNamespace(NS).list().getItems())
                .anyMatch(e -> e.getInvolvedObject().getName().equals("web1") && e.getReason().equals("Applied")
                        && e.getMessage().contains("create-lxc"));
    }

    static long requests(String key) {
        return op.engine().proxmoxClients().stream().mapToLong(c -> c.requestCounts().getOrDefault(key, 0L)).sum();
    }

    static double containerReconciles() {
        return op.meters().find("proxplane.operator.reconciles").tag("kind", "Container").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    /** The site poll is one bulk read per cluster; a steady container costs no request of its own. */
    @Test
    @Order(2)
    void aSteadySiteCostsOneBulkReadPerPollAndNothingPerContainer() {
        long bulk = requests("GET /cluster/resources");
        long configs = requests("GET /nodes/{node}/lxc/{vmid}/config");
        double reconciles = containerReconciles();
        await("two more site polls", WAIT, () -> requests("GET /cluster/resources"), n -> n >= bulk + 4);
        assertThat(requests("GET /nodes/{node}/lxc/{vmid}/config")).as("per-container config reads").isEqualTo(configs);
        assertThat(containerReconciles()).as("container reconciles after steady polls").isEqualTo(reconciles);
    }

    @Test
    @Order(3)
    void editingAContainerResizesItInPlace() {
        Container before = get(Container.class, NS, "web1");
        f.client.resources(Container.class).inNamespace(NS).withName("web1").edit(c -> {
            c.getSpec().cores = 2;
            c.getSpec().memoryMb = 1024L;
            c.getSpec().diskGb = 6L;
            return c;
        });
        Container after = await("web1 resized", WAIT, () -> get(Container.class, NS, "web1"),
                c -> ready(c) && c.getMetadata().getGeneration() > before.getMetadata().getGeneration());
        assertThat(after.getStatus().vmid).isEqualTo(before.getStatus().vmid);
        assertThat(after.getStatus().ipv4).isEqualTo(before.getStatus().ipv4);
        var config = pve.lxc().config(after.getStatus().node, after.getStatus().vmid);
        assertThat(config.cores()).hasValue(2);
        assertThat(config.memory()).hasValue(1024);
        assertThat(config.rootfs().orElseThrow().size()).isEqualTo("6G");
        assertThat(f.client.v1().events().inNamespace(NS).list().getItems())
                .anyMatch(e -> e.getInvolvedObject().getName().equals("web1") && e.getMessage().contains("resize"));
    }

    @Test
    @Order(4)
    void badInputGetsReadyFalseNamingTheField() {
        Container bad = container("bad-memory", "docker.io/library/nginx:1.27");
        bad.getSpec().memoryMb = 8L; // the CRD schema refuses this at kubectl apply; the mock server does not validate
        f.client.resource(bad).create();
        Container seen = await("bad-memory refused", WAIT, () -> get(Container.class, NS, "bad-memory"),
                c -> condition(c, "False"));
        assertThat(readyCondition(seen).getReason()).isEqualTo("InvalidSpec");
        assertThat(readyCondition(seen).getMessage()).startsWith("spec.memoryMb:").contains("between 16");
        assertThat(seen.getStatus().observedGeneration).isEqualTo(seen.getMetadata().getGeneration());

        ContainerService two = new ContainerService();
        two.setMetadata(new ObjectMetaBuilder().withName("two-kinds").withNamespace(NS).build());
        two.setSpec(new ContainerServiceSpec());
        two.getSpec().container = "web1";
        two.getSpec().tcp = new ContainerServiceSpec.Stream();
        two.getSpec().tcp.internalPort = 22;
        two.getSpec().udp = new ContainerServiceSpec.Stream();
        two.getSpec().udp.internalPort = 53;
        f.client.resource(two).create();
        ContainerService refused = await("two-kinds refused", WAIT, () -> get(ContainerService.class, NS, "two-kinds"),
                s -> condition(s, "False"));
        assertThat(readyCondition(refused).getReason()).isEqualTo("InvalidSpec");
        assertThat(readyCondition(refused).getMessage()).startsWith("spec.http:").contains("exactly one of");

        // a newline in an env value would break the guest's config: refused naming the variable, not an InternalError
        Container newline = container("bad-env", "docker.io/library/nginx:1.27");
        newline.getSpec().env = Map.of("GREETING", "hello\nworld");
        f.client.resource(newline).create();
        Container badEnv = await("bad-env refused", WAIT, () -> get(Container.class, NS, "bad-env"), c -> condition(c, "False"));
        assertThat(readyCondition(badEnv).getReason()).isEqualTo("InvalidSpec");
        assertThat(readyCondition(badEnv).getMessage()).startsWith("spec.env.GREETING:").contains("control character")
                .doesNotContain("\n").doesNotContain("Exception");
        f.client.resources(Container.class).inNamespace(NS).withName("bad-env").delete();

        Container quota = container("too-big", "docker.io/library/nginx:1.27");
        quota.getSpec().pool = "web";
        quota.getSpec().cores = 64;
        f.client.resource(quota).create();
        Container over = await("too-big refused", WAIT, () -> get(Container.class, NS, "too-big"), c -> condition(c, "False"));
        assertThat(readyCondition(over).getReason()).isEqualTo("QuotaExceeded");
        assertThat(readyCondition(over).getMessage()).contains("maxCores").contains("16");

        // an owner that is not a User is refused naming the field; the User appearing brings it to Ready
        Container late = container("late-owner", "docker.io/library/nginx:1.27");
        late.getSpec().owner = "carol";
        f.client.resource(late).create();
        Container noOwner = await("late-owner refused", WAIT, () -> get(Container.class, NS, "late-owner"), c -> condition(c, "False"));
        assertThat(readyCondition(noOwner).getReason()).isEqualTo("InvalidSpec");
        assertThat(readyCondition(noOwner).getMessage()).contains("owner: user 'carol' does not exist");
        User carol = new User();
        carol.setMetadata(new ObjectMetaBuilder().withName("carol").build());
        carol.setSpec(new io.proxplane.operator.api.UserSpec());
        f.client.resource(carol).create();
        awaitReady(Container.class, NS, "late-owner");
        f.client.resources(Container.class).inNamespace(NS).withName("late-owner").delete();
        await("late-owner gone", WAIT, () -> get(Container.class, NS, "late-owner") == null, gone -> gone);
        f.client.resources(User.class).withName("carol").delete();
        assertThat(pve.users().list(false)).noneMatch(u -> u.userid().equals("carol@pve"));

        // fixing the spec brings it to Ready
        f.client.resources(Container.class).inNamespace(NS).withName("bad-memory").edit(c -> {
            c.getSpec().memoryMb = 256L;
            return c;
        });
        awaitReady(Container.class, NS, "bad-memory");
        for (var c : List.of("bad-memory", "too-big")) f.client.resources(Container.class).inNamespace(NS).withName(c).delete();
        f.client.resources(ContainerService.class).inNamespace(NS).withName("two-kinds").delete();
        await("bad resources gone", WAIT, () -> f.client.resources(Container.class).inNamespace(NS).list().getItems().size(),
                n -> n == 2);
    }

    @Test
    @Order(5)
    void aProxmoxOutageShowsInConditionsAndRecoversWithoutDuplicates() {
        f.sim.faults().failNext("GET", "/cluster/resources", 1_000_000, 503, "Service Unavailable");
        Site down = await("site shows the outage", WAIT, () -> get(Site.class, null, "lab"), s -> condition(s, "False"));
        assertThat(readyCondition(down).getReason()).isEqualTo("ProxmoxUnavailable");
        Container web1Down = await("web1 shows the outage", WAIT, () -> get(Container.class, NS, "web1"),
                c -> condition(c, "False"));
        assertThat(readyCondition(web1Down).getReason()).isEqualTo("ProxmoxUnavailable");
        assertThat(web1Down.getStatus().ipv4).as("addresses stay in status during an outage").isNotNull();

        f.client.resource(container("during-outage", "docker.io/library/redis:7")).create();
        Container waiting = await("new container waits", WAIT, () -> get(Container.class, NS, "during-outage"),
                c -> condition(c, "False"));
        assertThat(readyCondition(waiting).getReason()).isEqualTo("ProxmoxUnavailable");

        f.sim.faults().clear();
        awaitReady(Site.class, null, "lab");
        awaitReady(Container.class, NS, "web1");
        Container made = awaitReady(Container.class, NS, "during-outage");
        // owner tag pp-<registry identity>-<site id>-<container id>: the container id ends it
        var tagged = guests().stream().filter(g -> g.tags().stream().anyMatch(t -> t.startsWith("pp-" + op.engine().registry().identity() + "-")
                && t.endsWith("-" + made.getStatus().registryId))).toList();
        assertThat(tagged).hasSize(1);
        assertThat(guests()).hasSize(op.engine().registry().containers().list().size());
    }

    @Test
    @Order(6)
    void aChangedSecretRequeuesWhatUsesIt() {
        // a rotated (here: wrong) Proxmox token reaches the engine's client through the Site
        f.client.secrets().inNamespace(OperatorFixture.SYSTEM_NS).withName("pve-lab-token").edit(s -> {
            s.getData().put("secret", OperatorFixture.b64("not-the-token"));
            return s;
        });
        Site refused = await("site refused by Proxmox", WAIT, () -> get(Site.class, null, "lab"), s -> condition(s, "False"));
        assertThat(readyCondition(refused).getReason()).isEqualTo("ProxmoxAuthenticationFailed");
        f.client.secrets().inNamespace(OperatorFixture.SYSTEM_NS).withName("pve-lab-token").edit(s -> {
            s.getData().put("secret", OperatorFixture.b64(PveSimulatorExtension.DEFAULT_TOKEN_SECRET));
            return s;
        });
        awaitReady(Site.class, null, "lab");

        // a new password in the Secret replaces the stored hash
        String hashBefore = op.engine().registry().users().findByUsername("alice").orElseThrow().spec().passwordHash();
        String versionBefore = get(User.class, null, "alice").getStatus().passwordSecretVersion;
        f.client.secrets().inNamespace(OperatorFixture.SYSTEM_NS).withName("alice-password").edit(s -> {
            s.setStringData(Map.of("password", "a brand new passphrase"));
            return s;
        });
        await("alice's password re-hashed", WAIT, () -> get(User.class, null, "alice"),
                u -> ready(u) && !versionBefore.equals(u.getStatus().passwordSecretVersion));
        assertThat(op.engine().registry().users().findByUsername("alice").orElseThrow().spec().passwordHash())
                .isNotEqualTo(hashBefore).startsWith("$argon2id$");
    }

    /**
     * A custom resource deleted with its finalizer stripped by hand leaves its registry object held
     * by its uid; a new one of the same name (same manager, another uid) must not take it over
     * silently: Ready=False ClaimConflict naming the holder, until the adopt annotation says so.
     */
    @Test
    @Order(7)
    void aRecreatedResourceDoesNotTakeOverTheOldObjectUnlessAskedTo() {
        Group group = new Group();
        group.setMetadata(new ObjectMetaBuilder().withName("claimed").build());
        group.setSpec(new io.proxplane.operator.api.GroupSpec());
        // what the earlier resource of this name (uid "old-uid", finalizer removed by hand) left behind
        String manager = io.proxplane.operator.reconcile.ManagerNames.of(group);
        op.engine().groups().apply(io.proxplane.core.registry.Claim.apply(manager, "k8s-uid:old-uid"),
                new io.proxplane.core.engine.spec.GroupSpec("claimed", null, List.of(), false));
        long revision = op.engine().registry().currentRevision();

        f.client.resource(group).create();
        Group refused = await("claimed refused", WAIT, () -> get(Group.class, null, "claimed"), g -> condition(g, "False"));
        assertThat(readyCondition(refused).getReason()).isEqualTo("ClaimConflict");
        assertThat(readyCondition(refused).getMessage()).contains("group 'claimed' already exists and belongs to another resource")
                .contains("k8s-uid:old-uid").contains("proxplane.io/adopt");
        assertThat(op.engine().registry().currentRevision()).isEqualTo(revision);
        assertThat(op.engine().registry().groups().findByName("claimed").orElseThrow().meta().claimedBy()).isEqualTo("k8s-uid:old-uid");

        f.client.resources(Group.class).withName("claimed").edit(g -> {
            g.getMetadata().setAnnotations(Map.of("proxplane.io/adopt", "true"));
            return g;
        });
        Group adopted = awaitReady(Group.class, null, "claimed");
        assertThat(op.engine().registry().groups().findByName("claimed").orElseThrow().meta().claimedBy())
                .isEqualTo("k8s-uid:" + adopted.getMetadata().getUid());

        f.client.resources(Group.class).withName("claimed").delete();
        await("claimed gone", WAIT, () -> get(Group.class, null, "claimed") == null, gone -> gone);
        assertThat(op.engine().registry().groups().findByName("claimed")).isEmpty();
    }

    @Test
    @Order(8)
    void deletingRemovesFromProxmoxAndTheRegistry() {
        // a Site with containers waits for them
        f.client.resources(Site.class).withName("lab").delete();
        Site blocked = await("site deletion blocked", WAIT, () -> get(Site.class, null, "lab"),
                s -> s.getStatus() != null && "DeletionBlocked".equals(readyCondition(s).getReason()));
        assertThat(readyCondition(blocked).getMessage()).contains("InUse").contains("containers");

        for (Class<? extends CustomResource<?, ?>> type : List.of(ContainerService.class, Container.class, Pool.class)) {
            f.client.resources(type).inNamespace(NS).delete();
        }
        for (Class<? extends CustomResource<?, ?>> type : List.of(ExternalDomain.class, Group.class, User.class,
                DirectoryServiceAccount.class)) {
            f.client.resources(type).delete();
        }
        for (var type : KINDS.values()) {
            await(type.getSimpleName() + "s gone", WAIT, () -> f.client.resources(type).inAnyNamespace().list().getItems().size(),
                    n -> n == 0);
        }
        assertThat(guests()).isEmpty();
        // Site and Pool went in parallel: nothing proxplane made stays in Proxmox (pool, its grant,
        // the owner's user, the group made for the grant)
        assertThat(pve.pools().list()).noneMatch(p -> p.poolid().equals("web"));
        assertThat(pve.acl().list()).noneMatch(e -> e.path().startsWith("/pool/") || e.path().startsWith("/vms/"));
        assertThat(pve.users().list(false)).noneMatch(u -> u.comment() != null && u.comment().startsWith("managed by proxplane"));
        assertThat(pve.groups().list()).noneMatch(g -> g.comment() != null && g.comment().startsWith("managed by proxplane"));
        var registry = op.engine().registry();
        assertThat(registry.containers().list()).isEmpty();
        assertThat(registry.sites().list()).isEmpty();
        assertThat(registry.users().list()).isEmpty();
        assertThat(registry.groups().list()).isEmpty();
        assertThat(registry.pools().list()).isEmpty();
        assertThat(registry.externalDomains().list()).isEmpty();
    }

    @Test
    @Order(9)
    void metricsAndProbesAreServed() throws Exception {
        var health = new Health(op.operator(), op.engine());
        try (var ops = new OpsServer("127.0.0.1", 0, op.meters(), health::liveness, health::readiness)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + ops.port();
            var metrics = http.send(HttpRequest.newBuilder(java.net.URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("proxplane_operator_reconciles_total{kind=\"Container\",result=\"ready\"}")
                    .contains("operator_sdk_").contains("proxplane_operator_site_poll_seconds_count{outcome=\"ok\",site=\"lab\"}");
            for (String probe : List.of("/healthz", "/readyz")) {
                var r = http.send(HttpRequest.newBuilder(java.net.URI.create(base + probe)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(probe).isEqualTo(200);
            }
        }
    }

    static Container container(String name, String image) {
        Container c = new Container();
        c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        c.setSpec(new ContainerSpec());
        c.getSpec().site = "lab";
        c.getSpec().image = image;
        c.getSpec().memoryMb = 256L;
        c.getSpec().diskGb = 2L;
        return c;
    }
}
