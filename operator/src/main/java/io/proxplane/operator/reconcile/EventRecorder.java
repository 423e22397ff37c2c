package io.proxplane.operator.reconcile;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes core/v1 Events about our resources ({@code kubectl describe} shows them). Events are
 * best effort: a failure to record one is logged and never fails a reconcile.
 *
 * <p>The API server requires an Event's namespace to equal {@code involvedObject.namespace}; for a
 * cluster-scoped object (Site, ExternalDomain, User, Group) that is empty and the Event must be in
 * {@code default}. {@code kubectl describe} looks for such Events in all namespaces with
 * {@code involvedObject.namespace=""}, so they show there. The chart lets the operator create Events
 * in {@code default} for this also when it watches only some namespaces.
 */
public final class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    public static final String COMPONENT = "proxplane-operator";

    private final KubernetesClient client;
    private final String instance;
    /** Where Events about cluster-scoped objects must go (Kubernetes' Event validation). */
    public static final String CLUSTER_SCOPED_NAMESPACE = "default";

    private final Clock clock;

    public EventRecorder(KubernetesClient client, String instance, Clock clock) {
        this.client = client;
        this.instance = instance;
        this.clock = clock;
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, "Normal", reason, message);
    }

    public void warning(HasMetadata about, String reason, String message) {
        record(about, "Warning", reason, message);
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        String ns = about.getMetadata().getNamespace() == null ? CLUSTER_SCOPED_NAMESPACE : about.getMetadata().getNamespace();
        byte[] suffix = new byte[6];
        ThreadLocalRandom.current().nextBytes(suffix);
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        var event = new EventBuilder()
                .withNewMetadata().withName(about.getMetadata().getName() + "." + HexFormat.of().formatHex(suffix))
                .withNamespace(ns).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(about.getApiVersion()).withKind(about.getKind())
                        .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
                        .withUid(about.getMetadata().getUid()).withResourceVersion(about.getMetadata().getResourceVersion())
                        .build())
                .withType(type).withReason(reason).withMessage(Conditions.truncate(message))
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT).withReportingInstance(instance)
                .build();
        try {
            client.v1().events().inNamespace(ns).resource(event).create();
        } catch (RuntimeException e) {
            LOG.warn("could not record event {} {} for {} {}: {}", type, reason, about.getKind(), about.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
