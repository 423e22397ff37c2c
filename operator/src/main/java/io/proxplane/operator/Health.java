package io.proxplane.operator;

import io.javaoperatorsdk.operator.Operator;
import io.proxplane.core.engine.Engine;

/**
 * Probes. Liveness: the operator's informers are healthy once started (a wedged watch is worth a
 * restart). Readiness: started and the registry answers. A follower waiting for the Lease is
 * ready and alive: it must not be restarted or taken out of rotation for being passive.
 */
public final class Health {
    private final ProxplaneOperator proxplane;
    private final Operator operator;
    private final Engine engine;

    public Health(ProxplaneOperator operator, Engine engine) {
        this.proxplane = operator;
        this.operator = operator.operator();
        this.engine = engine;
    }

    public OpsServer.Probe liveness() {
        if (proxplane.passive()) return new OpsServer.Probe(true, "waiting for the Lease (holder: " + proxplane.elector().holder() + ")");
        var info = operator.getRuntimeInfo();
        if (info.isStarted() && !info.allEventSourcesAreHealthy()) {
            return new OpsServer.Probe(false, "unhealthy event sources: " + info.unhealthyEventSources().keySet());
        }
        return new OpsServer.Probe(true, info.isStarted() ? "started" : "starting");
    }

    public OpsServer.Probe readiness() {
        var info = operator.getRuntimeInfo();
        if (!proxplane.passive() && !info.isStarted()) return new OpsServer.Probe(false, "operator not started");
        try {
            long revision = engine.registry().currentRevision();
            return new OpsServer.Probe(true, "registry revision " + revision);
        } catch (RuntimeException e) {
            return new OpsServer.Probe(false, "registry: " + e.getMessage());
        }
    }
}
