package io.proxplane.operator.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.proxplane.core.engine.Action;
import io.proxplane.operator.api.DirectoryServiceAccount;
import io.proxplane.operator.api.DirectoryServiceAccountStatus;
import io.proxplane.operator.mapping.InvalidSpecException;
import io.proxplane.operator.mapping.SecretResolver;
import io.proxplane.operator.mapping.SpecMapper;

import java.util.List;

/**
 * Service accounts for SSSD/nslcd. Like {@link UserReconciler}, the password is read from the
 * referenced Secret and handed to the engine (which hashes it) only when the Secret changed since
 * the stored hash was made. Woken by its Secret.
 */
@ControllerConfiguration(name = "directoryserviceaccount", finalizerName = ContainerReconciler.FINALIZER)
public final class DirectoryServiceAccountReconciler
        extends EngineReconciler<DirectoryServiceAccount, DirectoryServiceAccountStatus> {

    public DirectoryServiceAccountReconciler(OperatorContext op) {
        super(op);
    }

    @Override
    protected Applied<DirectoryServiceAccountStatus> apply(DirectoryServiceAccount r, Context<DirectoryServiceAccount> context) {
        var ref = r.getSpec() == null ? null : r.getSpec().passwordSecretRef;
        if (ref == null) {
            throw new InvalidSpecException("spec.passwordSecretRef", "is required");
        }
        if (ref.namespace == null) {
            throw new InvalidSpecException("spec.passwordSecretRef.namespace", "is required (DirectoryServiceAccount is cluster-scoped)");
        }
        String key = ref.key == null ? UserReconciler.DEFAULT_PASSWORD_KEY : ref.key;
        SecretResolver.SecretValue v = op.secrets().read(ref.namespace, ref.name, key).orElseThrow(() ->
                new MissingSecretException("spec.passwordSecretRef: " + SecretResolver.describe(ref, ref.namespace, key)
                        + " does not exist"));
        boolean unchanged = r.getStatus() != null && Boolean.TRUE.equals(r.getStatus().hasPassword)
                && v.resourceVersion().equals(r.getStatus().passwordSecretVersion);
        var result = op.engine().serviceAccounts().apply(Claims.of(r), SpecMapper.serviceAccount(r, unchanged ? null : v.value()));
        DirectoryServiceAccountStatus status = new DirectoryServiceAccountStatus();
        status.registryId = result.status().id();
        status.name = result.status().name();
        status.hasPassword = result.status().hasPassword();
        status.passwordSecretVersion = v.resourceVersion();
        return new Applied<>(status, result.actions().stream().map(Action::toString).toList(),
                "service account " + status.name);
    }

    @Override
    protected List<String> delete(DirectoryServiceAccount r, Context<DirectoryServiceAccount> context) {
        return op.engine().serviceAccounts().delete(Claims.of(r), SpecMapper.serviceAccountName(r)).actions().stream()
                .map(Action::toString).toList();
    }

    @Override
    public List<EventSource<?, DirectoryServiceAccount>> prepareEventSources(EventSourceContext<DirectoryServiceAccount> ctx) {
        return List.of(References.byIndex(ctx, Secret.class, op.secretNamespaces(), "bySecret",
                (DirectoryServiceAccount a) -> a.getSpec() == null || a.getSpec().passwordSecretRef == null ? null
                        : List.of(a.getSpec().passwordSecretRef.namespace + "/" + a.getSpec().passwordSecretRef.name)));
    }

    @Override
    protected DirectoryServiceAccountStatus newStatus() {
        return new DirectoryServiceAccountStatus();
    }

    @Override
    protected DirectoryServiceAccount newResource() {
        return new DirectoryServiceAccount();
    }
}
