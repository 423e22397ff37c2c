package io.proxplane.operator.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.proxplane.core.engine.Action;
import io.proxplane.operator.api.Group;
import io.proxplane.operator.api.User;
import io.proxplane.operator.api.UserStatus;
import io.proxplane.operator.mapping.SecretResolver;
import io.proxplane.operator.mapping.SpecMapper;
import io.proxplane.operator.mapping.StatusMapper;

import java.util.List;

/**
 * Users. The password is read from the referenced Secret and handed to the engine only when the
 * Secret changed since the stored hash was made (hashing argon2id on every reconcile would cost
 * CPU and memory for nothing). Woken by its Secret and by Groups it lists in extraGroups.
 */
@ControllerConfiguration(name = "user", finalizerName = ContainerReconciler.FINALIZER)
public final class UserReconciler extends EngineReconciler<User, UserStatus> {
    public static final String DEFAULT_PASSWORD_KEY = "password";

    public UserReconciler(OperatorContext op) {
        super(op);
    }

    @Override
    protected Applied<UserStatus> apply(User r, Context<User> context) {
        String password = null;
        String version = null;
        var ref = r.getSpec() == null ? null : r.getSpec().passwordSecretRef;
        if (ref != null) {
            if (ref.namespace == null) {
                throw new io.proxplane.operator.mapping.InvalidSpecException("spec.passwordSecretRef.namespace",
                        "is required (User is cluster-scoped)");
            }
            String key = ref.key == null ? DEFAULT_PASSWORD_KEY : ref.key;
            SecretResolver.SecretValue v = op.secrets().read(ref.namespace, ref.name, key).orElseThrow(() ->
                    new MissingSecretException("spec.passwordSecretRef: " + SecretResolver.describe(ref, ref.namespace, key)
                            + " does not exist"));
            version = v.resourceVersion();
            boolean unchanged = r.getStatus() != null && Boolean.TRUE.equals(r.getStatus().hasPassword)
                    && version.equals(r.getStatus().passwordSecretVersion);
            password = unchanged ? null : v.value();
        }
        var result = op.engine().users().apply(Claims.of(r), SpecMapper.user(r, password));
        UserStatus status = StatusMapper.user(new UserStatus(), result.status());
        status.passwordSecretVersion = version;
        return new Applied<>(status, result.actions().stream().map(Action::toString).toList(),
                "uid " + status.uid + ", gid " + status.gid + ", " + result.status().status() + ", groups " + status.groups);
    }

    @Override
    protected List<String> delete(User r, Context<User> context) {
        return op.engine().users().delete(Claims.of(r), SpecMapper.username(r)).actions().stream()
                .map(Action::toString).toList();
    }

    @Override
    public List<EventSource<?, User>> prepareEventSources(EventSourceContext<User> ctx) {
        var secrets = References.byIndex(ctx, Secret.class, op.secretNamespaces(), "bySecret", (User u) -> u.getSpec() == null
                || u.getSpec().passwordSecretRef == null ? null
                : List.of(u.getSpec().passwordSecretRef.namespace + "/" + u.getSpec().passwordSecretRef.name));
        var groups = References.byIndex(ctx, Group.class, op.namespaces(), "byGroup", (User u) -> u.getSpec() == null ? null
                : groupsNamed(u.getSpec()), SpecMapper::groupName);
        return List.of(secrets, groups);
    }

    /** The groups a User refers to: its extraGroups and its primaryGroup (a Group appearing wakes it). */
    private static List<String> groupsNamed(io.proxplane.operator.api.UserSpec s) {
        List<String> out = new java.util.ArrayList<>(s.extraGroups == null ? List.of() : s.extraGroups);
        if (s.primaryGroup != null) out.add(s.primaryGroup);
        return out;
    }

    @Override
    protected UserStatus newStatus() {
        return new UserStatus();
    }

    @Override
    protected User newResource() {
        return new User();
    }
}
