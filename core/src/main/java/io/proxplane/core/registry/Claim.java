package io.proxplane.core.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * Who acts on an object: the {@code manager} (a Terraform workspace, a Kubernetes object — the
 * tenant allowed to change it) and the {@code holder}, the one front-door resource inside it
 * that holds the object: an opaque token such as {@code k8s-uid:<metadata.uid>} or
 * {@code terraform:<uuid>} (kept in the Terraform resource's private state). An object (site +
 * name, or name for global kinds) belongs to one resource; a second resource declaring it is
 * refused before anything changes ({@link ClaimConflictException}), and taking it over is an
 * explicit {@link Mode#ADOPT}.
 *
 * <p>The checks, after the manager check (another manager's row is always refused with
 * {@link OwnershipConflictException}, whatever the mode):
 * <ul>
 *   <li>{@link Mode#CREATE}: the object must not exist — or exist held by this very holder, so a
 *       create retried after a lost answer is idempotent. An unclaimed row is refused too: it is
 *       someone's object, to be imported.</li>
 *   <li>{@link Mode#APPLY}: create or update; an existing row must be held by this holder, or be
 *       unclaimed (written before claims existed), in which case it is claimed now.</li>
 *   <li>{@link Mode#ADOPT}: create or take over: the row is claimed by this holder whoever held it.</li>
 * </ul>
 * {@link #asManager} has no holder: it checks the manager only and never reads or changes
 * {@code claimed_by} (a row it creates is unclaimed). It is for the engine's own work on behalf of
 * a row's holder (resync, rollback) and for callers that predate claims.
 * Deleting is allowed to the holder, on an unclaimed row, and to {@link #asManager}.
 */
public record Claim(String manager, String holder, Mode mode) {

    public enum Mode { CREATE, APPLY, ADOPT }

    public Claim {
        Managers.check(manager);
        Objects.requireNonNull(mode, "mode");
        if (holder != null && (holder.isBlank() || holder.length() > 200 || holder.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("holder: must be a non-blank token of at most 200 characters without"
                    + " control characters, e.g. 'k8s-uid:<uid>' or 'terraform:<uuid>'");
        }
        if (holder == null && mode != Mode.APPLY) {
            throw new IllegalArgumentException("holder: required for " + mode);
        }
    }

    public static Claim create(String manager, String holder) {
        return new Claim(manager, Objects.requireNonNull(holder, "holder"), Mode.CREATE);
    }

    public static Claim apply(String manager, String holder) {
        return new Claim(manager, Objects.requireNonNull(holder, "holder"), Mode.APPLY);
    }

    public static Claim adopt(String manager, String holder) {
        return new Claim(manager, Objects.requireNonNull(holder, "holder"), Mode.ADOPT);
    }

    /** The manager as a whole: manager check only, claims neither read nor written. */
    public static Claim asManager(String manager) {
        return new Claim(manager, null, Mode.APPLY);
    }

    /**
     * Why this claim may not write an existing row of {@code rowManager} held by {@code rowHolder}
     * (null: unclaimed), or empty when it may. Pure; the registry runs it under the row's lock.
     */
    public Optional<RegistryException> refusal(String kind, String key, String rowManager, String rowHolder) {
        if (!manager.equals(rowManager)) {
            return Optional.of(new OwnershipConflictException(kind, key, rowManager, manager));
        }
        if (holder == null || holder.equals(rowHolder)) {
            return Optional.empty();
        }
        return switch (mode) {
            case CREATE -> Optional.of(new ClaimConflictException(kind, key, rowManager, rowHolder, this));
            case APPLY -> rowHolder == null ? Optional.empty()
                    : Optional.of(new ClaimConflictException(kind, key, rowManager, rowHolder, this));
            case ADOPT -> Optional.empty();
        };
    }

    /** Why this claim may not delete the row, or empty when it may (the holder, an unclaimed row, the manager as a whole). */
    public Optional<RegistryException> deleteRefusal(String kind, String key, String rowManager, String rowHolder) {
        if (!manager.equals(rowManager)) {
            return Optional.of(new OwnershipConflictException(kind, key, rowManager, manager));
        }
        if (holder == null || rowHolder == null || holder.equals(rowHolder) || mode == Mode.ADOPT) {
            return Optional.empty();
        }
        return Optional.of(new ClaimConflictException(kind, key, rowManager, rowHolder, this));
    }

    /** True when writing an existing row held by {@code rowHolder} must (re)set its claim to this holder. */
    public boolean claims(String rowHolder) {
        return holder != null && !holder.equals(rowHolder);
    }
}
