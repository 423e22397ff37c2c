package io.proxplane.core.engine;

import io.proxplane.core.registry.TestDatabase;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A front door that saw its credentials change makes the engine resolve them again. */
class ForgetClientTest {
    @Test
    void aForgottenEndpointResolvesItsCredentialsAgain() {
        try (PveSimulator sim = PveSimulatorExtension.testDefaults().build().start(); TestDatabase db = TestDatabase.create()) {
            AtomicInteger resolved = new AtomicInteger();
            CredentialsResolver counting = endpoint -> {
                resolved.incrementAndGet();
                return EngineFixture.resolver(sim).resolve(endpoint);
            };
            try (Engine engine = Engine.builder(db.config(), counting)
                    .settings(EngineSettings.defaults().withTaskTimeout(Duration.ofSeconds(20)).withBackoff(2, Duration.ofMillis(20)))
                    .build()) {
                engine.sites().apply(EngineFixture.K8S, EngineFixture.siteSpec(sim));
                engine.sites().apply(EngineFixture.K8S, EngineFixture.siteSpec(sim));
                assertThat(resolved).hasValue(1);
                assertThat(engine.forgetProxmoxClient(sim.baseUrl())).isTrue();
                assertThat(engine.forgetProxmoxClient(sim.baseUrl())).isFalse();
                assertThat(engine.forgetProxmoxClient("https://unknown.example:8006")).isFalse();
                engine.sites().apply(EngineFixture.K8S, EngineFixture.siteSpec(sim));
                assertThat(resolved).hasValue(2);
            }
        }
    }
}
