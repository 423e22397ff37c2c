package io.proxplane.operator.reconcile;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.proxplane.operator.api.Site;
import io.proxplane.operator.api.SiteStatus;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReferencesTest {
    static Site site(long generation, boolean ready, String pollTime) {
        Site s = new Site();
        s.setMetadata(new ObjectMetaBuilder().withName("lab").withGeneration(generation).withResourceVersion(pollTime).build());
        s.setStatus(new SiteStatus());
        s.getStatus().lastPollTime = pollTime;
        s.getStatus().conditions = Conditions.set(null, Reasons.READY, ready, ready ? Reasons.RECONCILED : Reasons.PROXMOX_UNAVAILABLE,
                "", generation, Clock.systemUTC());
        return s;
    }

    @Test
    void statusChurnOfAReferencedObjectIsNotAChange() {
        assertThat(References.changed(site(1, true, "t2"), site(1, true, "t1"))).isFalse();
        assertThat(References.changed(site(2, true, "t2"), site(1, true, "t1"))).as("new spec").isTrue();
        assertThat(References.changed(site(1, false, "t2"), site(1, true, "t1"))).as("Ready flipped").isTrue();
        assertThat(References.changed(site(1, true, "t2"), site(1, false, "t1"))).as("Ready flipped back").isTrue();
    }

    @Test
    void secretsChangeWithTheirData() {
        Secret a = new SecretBuilder().withNewMetadata().withName("t").withResourceVersion("1").endMetadata()
                .withData(Map.of("secret", "YQ==")).build();
        Secret relabelled = new SecretBuilder(a).editMetadata().withResourceVersion("2").addToLabels("x", "y").endMetadata().build();
        Secret rotated = new SecretBuilder(a).editMetadata().withResourceVersion("3").endMetadata()
                .withData(Map.of("secret", "Yg==")).build();
        assertThat(References.changed(relabelled, a)).isFalse();
        assertThat(References.changed(rotated, a)).isTrue();
    }

    @Test
    void keysAndIdsOfNamespacedAndClusterScopedObjects() {
        assertThat(References.key(site(1, true, "t"))).isEqualTo("lab");
        assertThat(References.id("team-a/web1").getNamespace()).hasValue("team-a");
        assertThat(References.id("team-a/web1").getName()).isEqualTo("web1");
        assertThat(References.id("lab").getNamespace()).isEmpty();
    }
}
