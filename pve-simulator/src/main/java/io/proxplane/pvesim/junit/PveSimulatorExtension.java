package io.proxplane.pvesim.junit;

import io.proxplane.pvesim.PveSimulator;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one running simulator per test class, with fast test defaults, injected into
 * parameters of type {@link PveSimulator}. Use {@code @ExtendWith} or {@code @RegisterExtension} with
 * {@link #with} to customise the builder.
 */
public final class PveSimulatorExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    public static final String DEFAULT_TOKEN_ID = "root@pam!test";
    public static final String DEFAULT_TOKEN_SECRET = "test-secret";

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PveSimulatorExtension.class);

    private final Consumer<PveSimulator.Builder> customizer;
    private PveSimulator registered;

    public PveSimulatorExtension() {
        this(b -> { });
    }

    private PveSimulatorExtension(Consumer<PveSimulator.Builder> customizer) {
        this.customizer = customizer;
    }

    public static PveSimulatorExtension with(Consumer<PveSimulator.Builder> customizer) {
        return new PveSimulatorExtension(customizer);
    }

    /** The running simulator (for @RegisterExtension fields). */
    public PveSimulator simulator() {
        if (registered == null) throw new IllegalStateException("the simulator is not running (used outside the test class life cycle?)");
        return registered;
    }

    public static PveSimulator.Builder testDefaults() {
        return PveSimulator.builder()
                .port(0)
                .nodes("pve")
                .apiToken(DEFAULT_TOKEN_ID, DEFAULT_TOKEN_SECRET)
                .taskDuration(Duration.ofMillis(20))
                .flockTimeout(Duration.ofMillis(500))
                .resourcesLag(Duration.ZERO)
                .unauthorizedDelay(Duration.ZERO);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        PveSimulator.Builder b = testDefaults();
        customizer.accept(b);
        PveSimulator sim = b.build().start();
        registered = sim;
        context.getStore(NS).put(PveSimulator.class, (AutoCloseableResource) sim::close);
        context.getStore(NS).put("sim", sim);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Object closer = context.getStore(NS).remove(PveSimulator.class);
        if (closer instanceof AutoCloseableResource r) r.close();
        context.getStore(NS).remove("sim");
        registered = null;
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        return pc.getParameter().getType() == PveSimulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        PveSimulator sim = ec.getStore(NS).get("sim", PveSimulator.class);
        if (sim == null) sim = registered;
        if (sim == null) throw new IllegalStateException("the simulator is not running");
        return sim;
    }

    @FunctionalInterface
    private interface AutoCloseableResource {
        void close();
    }
}
