package io.proxplane.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.proxplane.operator.api.ContainerService;
import io.proxplane.operator.api.ProxplaneStatus;
import io.proxplane.operator.api.Site;
import io.proxplane.operator.reconcile.Reasons;
import io.proxplane.operator.secrets.SecretCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.proxplane.operator.OperatorFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Proxmox privileges docs/operator.md lists for the Site's token are enough: the simulator
 * (which checks each route's permission as Proxmox VE does, including "grant only a role whose
 * privileges you hold") gets the role exactly as the documented {@code pveum} commands make it, and
 * the examples go to Ready under a token with only that role, then are deleted (guests, pools, users
 * and groups with them). Why each privilege is listed comes from the permission each called
 * endpoint declares in the Proxmox API schema (the table in the docs).
 */
class DocumentedPrivilegesTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String TOKEN_ID = "proxplane@pve!operator";
    static final String TOKEN_SECRET = "operator-secret";
    static OperatorFixture f;
    static OperatorFixture.Running op;

    /** The role and ACL path of the documented commands. */
    record Documented(List<String> privileges, String aclPath) {
        static Documented read() throws IOException {
            String doc = Files.readString(OperatorFixture.ROOT.resolve("docs/operator.md")).replace("\\\n", " ");
            Matcher role = Pattern.compile("pveum role add Proxplane --privs \"([^\"]+)\"").matcher(doc);
            Matcher acl = Pattern.compile("pveum acl modify (\\S+) --users proxplane@pve --roles Proxplane").matcher(doc);
            assertThat(role.find()).as("docs/operator.md has the pveum role command").isTrue();
            assertThat(acl.find()).as("docs/operator.md has the pveum acl command").isTrue();
            assertThat(doc).contains("pveum user token add proxplane@pve operator --privsep 0");
            return new Documented(List.of(role.group(1).trim().split("\\s+")), acl.group(1));
        }
    }

    @BeforeAll
    static void up() throws IOException {
        f = new OperatorFixture("pve1", "pve2");
        Documented d = Documented.read();
        f.sim.admin().createRole("Proxplane", d.privileges());
        f.sim.admin().createUser("proxplane@pve", "unused-password");
        f.sim.admin().setAcl(d.aclPath(), "user", "proxplane@pve", "Proxplane", true);
        f.sim.admin().createToken(TOKEN_ID, TOKEN_SECRET, false); // --privsep 0: the user's privileges
        op = f.startOperator("privileges", null, Duration.ofSeconds(3));
    }

    @AfterAll
    static void down() {
        if (f != null) f.close();
    }

    static Secret restrictedToken(String namespace, String name) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withData(Map.of(SecretCredentials.TOKEN_ID, OperatorFixture.b64(TOKEN_ID),
                        SecretCredentials.SECRET, OperatorFixture.b64(TOKEN_SECRET),
                        SecretCredentials.FINGERPRINT, OperatorFixture.b64(f.sim.certificateFingerprintSha256())))
                .build();
    }

    static final java.util.Set<String> REFUSED = java.util.Set.of(Reasons.PROXMOX_PERMISSION_DENIED, Reasons.PROXMOX_ERROR);

    /** Ready, or stuck on a refusal by Proxmox (fails at once, with Proxmox's message). */
    static <T extends CustomResource<?, ? extends ProxplaneStatus>> void awaitReady(HasMetadata o) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) ExamplesOperatorTest.KINDS.get(o.getKind());
        String ns = o.getMetadata().getNamespace();
        T r = await(o.getKind() + " " + o.getMetadata().getName() + " Ready or refused by Proxmox", WAIT,
                () -> ns == null ? f.client.resources(type).withName(o.getMetadata().getName()).get()
                        : f.client.resources(type).inNamespace(ns).withName(o.getMetadata().getName()).get(),
                x -> OperatorFixture.ready(x) || OperatorFixture.condition(x, "False")
                        && REFUSED.contains(OperatorFixture.readyCondition(x).getReason()));
        assertThat(OperatorFixture.ready(r)).as(o.getKind() + " " + o.getMetadata().getName() + ": "
                + OperatorFixture.readyCondition(r).getMessage()).isTrue();
    }

    @Test
    void theExamplesApplyAndGoAwayUnderTheDocumentedPrivileges() {
        List<HasMetadata> ours = new ArrayList<>();
        List<HasMetadata> services = new ArrayList<>();
        for (HasMetadata o : OperatorFixture.examples()) {
            if (o instanceof Namespace n) {
                f.client.resource(n).createOr(NonDeletingOperation::update);
            } else if (o instanceof Secret s && s.getMetadata().getName().equals("pve-lab-token")) {
                f.client.resource(restrictedToken(s.getMetadata().getNamespace(), s.getMetadata().getName())).create();
            } else if (!ExamplesOperatorTest.KINDS.containsKey(o.getKind())) {
                f.client.resource(o).create();
            } else if (o.getKind().equals("ContainerService")) {
                services.add(o); // after the edge agent's report, as in ExamplesOperatorTest
            } else {
                var typed = Serialization.unmarshal(Serialization.asJson(o), ExamplesOperatorTest.KINDS.get(o.getKind()));
                if (typed instanceof Site site) site.getSpec().proxmoxEndpoints.get(0).url = f.sim.baseUrl();
                f.client.resource(typed).create();
                ours.add(typed);
            }
        }
        ours.forEach(DocumentedPrivilegesTest::awaitReady);
        long siteId = op.engine().registry().sites().findByName("lab").orElseThrow().id();
        op.engine().registry().edgeAgents().reportApplied("edge-privileges", siteId, 0);
        for (HasMetadata o : services) {
            var typed = Serialization.unmarshal(Serialization.asJson(o), ContainerService.class);
            f.client.resource(typed).create();
            awaitReady(typed);
            ours.add(typed);
        }

        // deletion, all at once as `kubectl delete -f examples/kubernetes/` does: the operator orders it
        for (HasMetadata o : ours) f.client.resource(o).delete();
        for (HasMetadata o : ours) {
            String ns = o.getMetadata().getNamespace();
            var type = ExamplesOperatorTest.KINDS.get(o.getKind());
            await(o.getKind() + " " + o.getMetadata().getName() + " deleted (its finalizer done)", WAIT,
                    () -> (ns == null ? f.client.resources(type).withName(o.getMetadata().getName()).get()
                            : f.client.resources(type).inNamespace(ns).withName(o.getMetadata().getName()).get()) == null,
                    Boolean::booleanValue);
        }
    }
}
