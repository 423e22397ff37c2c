package io.proxplane.operator.reconcile;

import io.micrometer.core.instrument.MeterRegistry;
import io.proxplane.core.engine.Engine;
import io.proxplane.operator.mapping.SecretResolver;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * What every reconciler shares.
 *
 * @param resyncInterval the per-site bulk poll period
 * @param retryCap       longest back-off for failures that clear by themselves (Proxmox down, locked)
 * @param slowRetry      retry period for failures someone else may fix (quota, permission, conflict)
 * @param namespaces     where namespaced kinds are watched; empty = all
 * @param secretNamespaces where referenced Secrets are watched: all, or the watched namespaces plus
 *                       the operator's own (where the Secrets of cluster-scoped kinds live)
 */
public record OperatorContext(Engine engine, SecretResolver secrets, EventRecorder events, SiteFanout fanout,
                              MeterRegistry meters, Clock clock, Duration resyncInterval, Duration retryCap,
                              Duration slowRetry, Set<String> namespaces, Set<String> secretNamespaces) {
}
