package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.proxmox.TlsTrust;
import io.proxplane.core.registry.RegistryConfig;
import io.proxplane.pvesim.junit.PveSimulatorExtension;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

/**
 * The engine in a child JVM for {@link CrashTest}: converges random creates, updates and deletes
 * of its own containers until the parent kills it with SIGKILL.
 * Args: jdbcUrl simBaseUrl simFingerprint prefix seed.
 */
public final class CrashChild {
    static final int NAMES = 4;

    public static void main(String[] args) {
        RegistryConfig config = RegistryConfig.of(args[0], "postgres", null).withMaxPoolSize(2);
        String prefix = args[3];
        Random random = new Random(Long.parseLong(args[4]));
        CredentialsResolver resolver = e -> new ProxmoxCredentials(PveSimulatorExtension.DEFAULT_TOKEN_ID,
                PveSimulatorExtension.DEFAULT_TOKEN_SECRET, TlsTrust.pinnedSha256(args[2]));
        try (Engine engine = Engine.builder(config, resolver)
                .settings(EngineSettings.defaults().withTaskTimeout(Duration.ofSeconds(20)).withBackoff(3, Duration.ofMillis(20)))
                .taskPolling(Duration.ofMillis(10), Duration.ofMillis(40)).build()) {
            // warm the client (TLS, JSON) so that operations, not class loading, fill the time before the kill
            engine.observeSite(EngineFixture.SITE);
            System.out.println("READY");
            System.out.flush();
            while (true) {
                String name = prefix + random.nextInt(NAMES);
                System.out.println("BEGIN " + name);
                try {
                    if (random.nextInt(4) == 0) {
                        engine.containers().delete(EngineFixture.K8S, EngineFixture.SITE, name);
                        System.out.println("OK delete " + name);
                    } else {
                        engine.containers().apply(EngineFixture.K8S, randomSpec(name, random));
                        engine.services().apply(EngineFixture.K8S,
                                ContainerServiceSpec.tcp(EngineFixture.SITE, name, "ssh", 22, null));
                        System.out.println("OK apply " + name);
                    }
                } catch (RuntimeException e) {
                    // conflicts and transient failures are normal here; the next round converges
                    System.out.println("ERR " + e.getMessage());
                }
            }
        }
    }

    static ContainerSpec randomSpec(String name, Random random) {
        return ContainerSpec.builder(EngineFixture.SITE, name, "docker.io/library/nginx:1.27")
                .cores(1 + random.nextInt(2)).memoryMb(128 + 128L * random.nextInt(2)).swapMb(0)
                .diskGb(1 + random.nextInt(2)).env(Map.of("ROUND", String.valueOf(random.nextInt(3)))).build();
    }
}
