package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.UserSpec;
import io.proxplane.core.registry.Group;
import io.proxplane.core.registry.Claim;
import io.proxplane.core.registry.Membership;
import io.proxplane.core.registry.User;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Users: registry rows (uid allocated there), the password stored only as an argon2id hash (kept
 * when the given password still matches it, so re-applying does not churn the row), and the
 * memberships this manager declared through {@code extraGroups}.
 */
public final class UserConverger {
    private final EngineContext ctx;
    private final PasswordHasher hasher;

    UserConverger(EngineContext ctx, PasswordHasher hasher) {
        this.ctx = ctx;
        this.hasher = hasher;
    }

    /**
     * {@code gid} is the primary gid: {@code primaryGroup}'s gid, or {@code privateGid} (the user's
     * private group, named after it) when {@code primaryGroup} is null.
     */
    public record Status(long id, String username, int uid, int gid, int privateGid, String primaryGroup, String status,
                         String twoFactorMode, List<String> groups, boolean hasPassword, String managedBy) {}

    public record Result(Status status, List<Action> actions) {}

    /** {@link #apply(Claim, UserSpec)} for the manager as a whole ({@link Claim#asManager}: no resource claim checked or set). */
    public Result apply(String manager, UserSpec spec) {
        return EngineErrors.guard(() -> applyUnguarded(Claim.asManager(manager), spec));
    }

    /**
     * Creates or updates as {@code claim} may: another manager's object is refused (OWNERSHIP),
     * another resource's (or, for a create, any existing one) with CONFLICT naming its holder, before
     * any change.
     */
    public Result apply(Claim claim, UserSpec spec) {
        return EngineErrors.guard(() -> applyUnguarded(claim, spec));
    }

    private Result applyUnguarded(Claim claim, UserSpec spec) {
        String manager = claim.manager();
        Optional<User> existing = ctx.registry.users().findByUsername(spec.username());
        existing.ifPresent(u -> EngineContext.requireClaim("user", spec.username(), u.meta(), claim));
        Map<String, Group> groups = groupsByName();
        for (int i = 0; i < spec.extraGroups().size(); i++) {
            Group g = groups.get(spec.extraGroups().get(i));
            if (g == null) {
                throw EngineException.missingReference("extraGroups[" + i + "]", "group '" + spec.extraGroups().get(i)
                        + "' does not exist", "create the Group first or remove it from extraGroups");
            }
            // Joining a group grants its rights: only the group's own tenant may do that from the user's
            // side; another tenant's user is added through the group's members by the group's manager.
            Tenancy.require("extraGroups[" + i + "]", "group", g.name(), g.meta().managedBy(), "user", manager, "join it",
                    "ask " + g.meta().managedBy() + " to list the user in the group's members, or remove it from extraGroups");
        }
        Long primaryGroupId = null;
        if (spec.primaryGroup() != null) {
            Group g = groups.get(spec.primaryGroup());
            if (g == null) {
                throw new EngineException(EngineException.Kind.NOT_FOUND, "primaryGroup: group '" + spec.primaryGroup()
                        + "' does not exist", "create the Group first or leave primaryGroup empty (the user's private group)");
            }
            // A primary group grants its rights like a membership: the same tenancy rule as extraGroups.
            Tenancy.require("primaryGroup", "group", g.name(), g.meta().managedBy(), "user", manager, "make it a primary group",
                    "leave primaryGroup empty (the user's private group) or choose a group of " + manager);
            primaryGroupId = g.id();
        }
        String oldHash = existing.map(u -> u.spec().passwordHash()).orElse(null);
        String hash = spec.password() == null ? oldHash
                : PasswordHasher.verify(spec.password(), oldHash) ? oldHash : hasher.hash(spec.password());
        var wanted = new io.proxplane.core.registry.UserSpec(spec.username(), existing.map(User::uid).orElse(null),
                spec.givenName(), spec.surname(), spec.mail(), spec.shell(), spec.sshKeys(), hash,
                spec.status().name().toLowerCase(), spec.twoFactorMode().name().toLowerCase(),
                existing.map(User::privateGid).orElse(null), primaryGroupId);
        List<Action> actions = new ArrayList<>();
        User user = existing.orElse(null);
        if (user == null || !user.spec().equals(wanted) || claim.claims(user.meta().claimedBy())) {
            user = EngineContext.owned(() -> ctx.registry.users().upsert(claim, wanted));
            actions.add(new Action(existing.isEmpty() ? "register" : "update", "user " + spec.username(),
                    Objects.equals(hash, oldHash) ? null : "password hash replaced"));
        }
        long userId = user.id();
        Set<Long> want = spec.extraGroups().stream().map(g -> groups.get(g).id()).collect(Collectors.toSet());
        Map<Long, String> names = groups.values().stream().collect(Collectors.toMap(Group::id, Group::name));
        Set<Long> have = new HashSet<>();
        for (Membership m : ctx.registry.memberships().listByUser(userId)) {
            have.add(m.groupId());
            if (m.meta().managedBy().equals(manager) && !want.contains(m.groupId())) {
                ctx.registry.memberships().remove(manager, userId, m.groupId());
                actions.add(new Action("leave", "user " + spec.username(), names.get(m.groupId())));
            }
        }
        for (Long g : want) {
            if (!have.contains(g)) {
                EngineContext.owned(() -> ctx.registry.memberships().add(manager, userId, g));
                actions.add(new Action("join", "user " + spec.username(), names.get(g)));
            }
        }
        return new Result(status(user), actions);
    }

    /** {@link #delete(Claim, String)} for the manager as a whole. */
    public Result delete(String manager, String username) {
        return EngineErrors.guard(() -> deleteUnguarded(Claim.asManager(manager), username));
    }

    /** Deletes if {@code claim} may: its holder, or anyone of its manager while the object is unclaimed. */
    public Result delete(Claim claim, String username) {
        return EngineErrors.guard(() -> deleteUnguarded(claim, username));
    }

    private Result deleteUnguarded(Claim claim, String username) {
        String manager = claim.manager();
        Optional<User> existing = ctx.registry.users().findByUsername(username);
        if (existing.isEmpty()) return new Result(null, List.of());
        EngineContext.requireDeleteClaim("user", username, existing.get().meta(), claim);
        Actions actions = new Actions();
        // Its Proxmox user goes BEFORE the row: a crash in between leaves the row, which the front door
        // deletes again; the other order would leave a Proxmox user that no registry object names.
        // (Uses are containers' owners and pool grants, never the user row itself.)
        ctx.removeUnused(ProxmoxObjects.USER, List.of(username), actions);
        ctx.registry.users().delete(claim, existing.get().id());
        actions.add("unregister", "user " + username, "uid " + existing.get().uid());
        return new Result(null, actions.list());
    }

    public Optional<Status> observe(String username) {
        return EngineErrors.guard(() -> observeUnguarded(username));
    }

    private Optional<Status> observeUnguarded(String username) {
        return ctx.registry.users().findByUsername(username).map(this::status);
    }

    private Status status(User u) {
        Map<Long, Group> byId = ctx.registry.groups().list().stream().collect(Collectors.toMap(Group::id, Function.identity()));
        List<String> groups = ctx.registry.memberships().listByUser(u.id()).stream().map(m -> byId.get(m.groupId()).name())
                .sorted().toList();
        Group primary = u.spec().primaryGroupId() == null ? null : byId.get(u.spec().primaryGroupId());
        return new Status(u.id(), u.username(), u.uid(), primary == null ? u.privateGid() : primary.gid(), u.privateGid(),
                primary == null ? null : primary.name(), u.spec().status(), u.spec().twofaMode(), groups,
                u.spec().passwordHash() != null, u.meta().managedBy());
    }

    private Map<String, Group> groupsByName() {
        return ctx.registry.groups().list().stream().collect(Collectors.toMap(Group::name, Function.identity()));
    }
}
