package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.registry.Group;
import io.proxplane.core.registry.Claim;
import io.proxplane.core.registry.Membership;
import io.proxplane.core.registry.User;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Groups: the registry row (gid allocated there unless given) and the memberships this manager
 * declared through {@code members}; memberships other managers declared are left alone.
 */
public final class GroupConverger {
    private final EngineContext ctx;

    GroupConverger(EngineContext ctx) {
        this.ctx = ctx;
    }

    public record Status(long id, String name, int gid, boolean admin, List<String> members, String managedBy) {}

    public record Result(Status status, List<Action> actions) {}

    /** {@link #apply(Claim, GroupSpec)} for the manager as a whole ({@link Claim#asManager}: no resource claim checked or set). */
    public Result apply(String manager, GroupSpec spec) {
        return EngineErrors.guard(() -> applyUnguarded(Claim.asManager(manager), spec));
    }

    /**
     * Creates or updates as {@code claim} may: another manager's object is refused (OWNERSHIP),
     * another resource's (or, for a create, any existing one) with CONFLICT naming its holder, before
     * any change.
     */
    public Result apply(Claim claim, GroupSpec spec) {
        return EngineErrors.guard(() -> applyUnguarded(claim, spec));
    }

    private Result applyUnguarded(Claim claim, GroupSpec spec) {
        String manager = claim.manager();
        Optional<Group> existing = ctx.registry.groups().findByName(spec.name());
        existing.ifPresent(g -> EngineContext.requireClaim("group", spec.name(), g.meta(), claim));
        Map<String, User> users = ctx.registry.users().list().stream()
                .collect(Collectors.toMap(User::username, Function.identity()));
        for (int i = 0; i < spec.members().size(); i++) {
            if (!users.containsKey(spec.members().get(i))) {
                throw EngineException.missingReference("members[" + i + "]", "user '" + spec.members().get(i)
                        + "' does not exist", "create the User first or remove it from members");
            }
        }
        Integer gid = spec.gid() != null ? spec.gid() : existing.map(Group::gid).orElse(null);
        var wanted = new io.proxplane.core.registry.GroupSpec(spec.name(), gid, spec.admin());
        List<Action> actions = new ArrayList<>();
        Group group = existing.orElse(null);
        if (group == null || !group.spec().equals(wanted) || claim.claims(group.meta().claimedBy())) {
            group = EngineContext.owned(() -> ctx.registry.groups().upsert(claim, wanted)); // a held gid: CONFLICT
            actions.add(new Action(existing.isEmpty() ? "register" : "update", "group " + spec.name(), "gid " + group.gid()));
        }
        long groupId = group.id();
        Map<Long, String> names = users.values().stream().collect(Collectors.toMap(User::id, User::username));
        Set<Long> want = spec.members().stream().map(u -> users.get(u).id()).collect(Collectors.toSet());
        Set<Long> have = new HashSet<>();
        for (Membership m : ctx.registry.memberships().listByGroup(groupId)) {
            have.add(m.userId());
            if (m.meta().managedBy().equals(manager) && !want.contains(m.userId())) {
                ctx.registry.memberships().remove(manager, m.userId(), groupId);
                actions.add(new Action("remove-member", "group " + spec.name(), names.get(m.userId())));
            }
        }
        for (Long u : want) {
            if (!have.contains(u)) {
                EngineContext.owned(() -> ctx.registry.memberships().add(manager, u, groupId));
                actions.add(new Action("add-member", "group " + spec.name(), names.get(u)));
            }
        }
        return new Result(status(group), actions);
    }

    /** {@link #delete(Claim, String)} for the manager as a whole. */
    public Result delete(String manager, String name) {
        return EngineErrors.guard(() -> deleteUnguarded(Claim.asManager(manager), name));
    }

    /** Deletes if {@code claim} may: its holder, or anyone of its manager while the object is unclaimed. */
    public Result delete(Claim claim, String name) {
        return EngineErrors.guard(() -> deleteUnguarded(claim, name));
    }

    private Result deleteUnguarded(Claim claim, String name) {
        String manager = claim.manager();
        Optional<Group> existing = ctx.registry.groups().findByName(name);
        if (existing.isEmpty()) return new Result(null, List.of());
        EngineContext.requireDeleteClaim("group", name, existing.get().meta(), claim);
        long groupId = existing.get().id();
        List<String> primaryOf = ctx.registry.users().list().stream()
                .filter(u -> Long.valueOf(groupId).equals(u.spec().primaryGroupId())).map(User::username).sorted().toList();
        if (!primaryOf.isEmpty()) {
            // Its gid owns those users' files: refused (the registry's foreign key would refuse it too).
            throw new EngineException(EngineException.Kind.IN_USE, "group '" + name + "' is the primary group of user(s) "
                    + String.join(", ", primaryOf), "change their primaryGroup (or delete them) first");
        }
        Actions actions = new Actions();
        // Its Proxmox group goes BEFORE the row: a crash in between leaves the row, which the front door
        // deletes again; the other order would leave a Proxmox group that no registry object names.
        // (Uses are containers' owners and pool grants, never the group row itself.)
        ctx.removeUnused(ProxmoxObjects.GROUP, List.of(name), actions);
        ctx.registry.groups().delete(claim, existing.get().id());
        actions.add("unregister", "group " + name, "gid " + existing.get().gid());
        return new Result(null, actions.list());
    }

    public Optional<Status> observe(String name) {
        return EngineErrors.guard(() -> observeUnguarded(name));
    }

    private Optional<Status> observeUnguarded(String name) {
        return ctx.registry.groups().findByName(name).map(this::status);
    }

    private Status status(Group g) {
        Map<Long, String> names = ctx.registry.users().list().stream().collect(Collectors.toMap(User::id, User::username));
        List<String> members = ctx.registry.memberships().listByGroup(g.id()).stream().map(m -> names.get(m.userId()))
                .sorted().toList();
        return new Status(g.id(), g.name(), g.gid(), g.spec().admin(), members, g.meta().managedBy());
    }
}
