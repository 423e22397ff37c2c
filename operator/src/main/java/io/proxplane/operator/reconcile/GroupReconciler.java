package io.proxplane.operator.reconcile;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.proxplane.core.engine.Action;
import io.proxplane.operator.api.Group;
import io.proxplane.operator.api.GroupStatus;
import io.proxplane.operator.api.User;
import io.proxplane.operator.mapping.SpecMapper;
import io.proxplane.operator.mapping.StatusMapper;

import java.util.List;

/** Groups and the memberships they declare. Woken by the Users they list (a member appearing). */
@ControllerConfiguration(name = "group", finalizerName = ContainerReconciler.FINALIZER)
public final class GroupReconciler extends EngineReconciler<Group, GroupStatus> {

    public GroupReconciler(OperatorContext op) {
        super(op);
    }

    @Override
    protected Applied<GroupStatus> apply(Group r, Context<Group> context) {
        var result = op.engine().groups().apply(Claims.of(r), SpecMapper.group(r));
        GroupStatus status = StatusMapper.group(new GroupStatus(), result.status());
        return new Applied<>(status, result.actions().stream().map(Action::toString).toList(),
                "gid " + status.gid + ", members " + status.members);
    }

    @Override
    protected List<String> delete(Group r, Context<Group> context) {
        return op.engine().groups().delete(Claims.of(r), SpecMapper.groupName(r)).actions().stream()
                .map(Action::toString).toList();
    }

    @Override
    public List<EventSource<?, Group>> prepareEventSources(EventSourceContext<Group> ctx) {
        // members are usernames: a User maps by its username, not its object name
        return List.of(References.byIndex(ctx, User.class, op.namespaces(), "byMember", (Group g) -> g.getSpec() == null ? null
                : g.getSpec().members, SpecMapper::username));
    }

    @Override
    protected GroupStatus newStatus() {
        return new GroupStatus();
    }

    @Override
    protected Group newResource() {
        return new Group();
    }
}
